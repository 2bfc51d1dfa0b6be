/*
 * utf8.c - character classes for the tokenizer: a table for ASCII,
 * utf8proc categories plus a few explicit code points for the rest.
 */
#include "tok_int.h"

#include <utf8proc.h>

const unsigned char ws_tok_ascii_class[128] = {
    C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_NL, C_NL, C_NL, C_NL, C_SP, C_SP,
    C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP, C_SP,
    C_SP, C_PU, C_QT, C_SY, C_SY, C_SY, C_PU, C_AP, C_PU, C_PU, C_PU, C_SY, C_PU, C_HY, C_DT, C_PU,
    C_DG, C_DG, C_DG, C_DG, C_DG, C_DG, C_DG, C_DG, C_DG, C_DG, C_PU, C_PU, C_SY, C_SY, C_SY, C_PU,
    C_SY, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP,
    C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_UP, C_PU, C_PU, C_PU, C_SY, C_PU,
    C_QT, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO,
    C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_LO, C_PU, C_SY, C_PU, C_SY, C_SP,
};

/* Code points whose class is not what their category says. */
static int special_class(int32_t cp) {
    switch (cp) {
    case 0x2019: case 0x2018: return C_AP;
    case 0x201C: case 0x201D: case 0x201A: case 0x201B:
    case 0x201E: case 0x201F: case 0x00AB: case 0x00BB: case 0x2039:
    case 0x203A: return C_QT;
    case 0x2010: case 0x2011: return C_HY;
    case 0x2012: case 0x2013: case 0x2014: case 0x2015: case 0x2E3A:
    case 0x2E3B: return C_DA;
    case 0xFEFF: case 0x200B: case 0x2060: return C_SP;
    case 0x0085: case 0x2028: case 0x2029: return C_NL;
    case 0x200C: case 0x200D: return C_MK;
    default: break;
    }
    if (cp >= 0x1F3FB && cp <= 0x1F3FF) return C_MK; /* skin tones */
    return -1;
}

static int category_class(int32_t cp) {
    switch (utf8proc_category(cp)) {
    case UTF8PROC_CATEGORY_LU: case UTF8PROC_CATEGORY_LT: return C_UP;
    case UTF8PROC_CATEGORY_LL: case UTF8PROC_CATEGORY_LM:
    case UTF8PROC_CATEGORY_LO: case UTF8PROC_CATEGORY_NL:
    case UTF8PROC_CATEGORY_NO: return C_LO;
    case UTF8PROC_CATEGORY_ND: return C_DG;
    case UTF8PROC_CATEGORY_MN: case UTF8PROC_CATEGORY_MC:
    case UTF8PROC_CATEGORY_ME: return C_MK;
    case UTF8PROC_CATEGORY_ZS: case UTF8PROC_CATEGORY_CC: return C_SP;
    case UTF8PROC_CATEGORY_ZL: case UTF8PROC_CATEGORY_ZP: return C_NL;
    case UTF8PROC_CATEGORY_CF: return C_FM;
    case UTF8PROC_CATEGORY_PC: case UTF8PROC_CATEGORY_PD:
    case UTF8PROC_CATEGORY_PS: case UTF8PROC_CATEGORY_PE:
    case UTF8PROC_CATEGORY_PI: case UTF8PROC_CATEGORY_PF:
    case UTF8PROC_CATEGORY_PO: return C_PU;
    default: return C_SY;
    }
}

int ws_tok_class(int32_t cp) {
    if (cp < 0) return C_IV;
    if (cp < 0x80) return ws_tok_ascii_class[cp];
    int c = special_class(cp);
    return c >= 0 ? c : category_class(cp);
}
