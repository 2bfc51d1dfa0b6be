/*
 * lexicon.c - small word lists of the text layer: abbreviations that keep
 * their period, and capitalised words that typically start a sentence (used
 * to decide whether "U.S." or "Inc." ends one). One table, sorted by bytes,
 * searched by bisection.
 */
#include "tok_int.h"

/* T: title before a name, its period never ends a sentence ("Gov.").
 * O: other abbreviation, may end a sentence before a starter ("Inc.").
 * N: abbreviation only before a number ("No. 5").
 * S: a typical sentence starter ("The", "He").
 * V: a speech verb after a quote ("Why?" Trump asked). */
#define T WS_ABBR_TITLE
#define O WS_ABBR_OTHER
#define N WS_ABBR_NUMBERED
#define S 4
#define V 8

typedef struct lex_entry {
    const char *w;
    int kind;
} lex_entry;

static const lex_entry lexicon[] = {
    {"A", S}, {"About", S}, {"According", S}, {"Adm", T}, {"After", S},
    {"Ala", O}, {"Ald", T}, {"All", S}, {"Also", S}, {"Although", S},
    {"Amb", T}, {"Among", S}, {"An", S}, {"And", S}, {"Another", S},
    {"Apr", O}, {"Are", S}, {"Ariz", O}, {"Ark", O}, {"Art", N}, {"As", S},
    {"Asked", S}, {"Assn", O}, {"Assoc", O}, {"Asst", O}, {"At", S},
    {"Atty", T}, {"Aug", O}, {"Ave", O}, {"Because", S}, {"Before", S},
    {"Bldg", O}, {"Blvd", O}, {"Both", S}, {"Brig", T}, {"Bros", O},
    {"But", S}, {"By", S}, {"Calif", O}, {"Can", S}, {"Capt", T}, {"Ch", N},
    {"Cmdr", T}, {"Co", O}, {"Col", T}, {"Colo", O}, {"Conn", O}, {"Corp", O},
    {"Cos", O}, {"Could", S}, {"Cpl", T}, {"Ct", O}, {"Dec", O}, {"Del", O},
    {"Dept", O}, {"Despite", S}, {"Det", T}, {"Did", S}, {"Dist", O},
    {"Do", S}, {"Does", S}, {"Dr", T}, {"Drs", T}, {"During", S}, {"Each", S},
    {"Earlier", S}, {"Even", S}, {"Every", S}, {"Ext", O}, {"Feb", O},
    {"Fig", N}, {"Fla", O}, {"For", S}, {"Fr", T}, {"Fri", O}, {"From", S},
    {"Ft", T}, {"Ga", O}, {"Gen", T}, {"Gens", T}, {"Gov", T}, {"Govs", T},
    {"Govt", O}, {"Had", S}, {"Has", S}, {"Have", S}, {"He", S}, {"Her", S},
    {"Here", S}, {"His", S}, {"Hon", T}, {"How", S}, {"However", S},
    {"Hwy", O}, {"I", S}, {"If", S}, {"Ill", O}, {"In", S}, {"Inc", O},
    {"Ind", O}, {"Indeed", S}, {"Insp", T}, {"Inst", O}, {"Instead", S},
    {"Intl", O}, {"Is", S}, {"It", S}, {"Its", S}, {"Jan", O}, {"Jr", O},
    {"Jud", O}, {"Jul", O}, {"Jun", O}, {"Just", S}, {"Kan", O}, {"Kans", O},
    {"Ky", O}, {"La", O}, {"Last", S}, {"Later", S}, {"Let", S}, {"Like", S},
    {"Lt", T}, {"Ltd", O}, {"Maj", T}, {"Many", S}, {"Mar", O}, {"Mass", O},
    {"Md", O}, {"Meanwhile", S}, {"Messrs", T}, {"Mgr", O}, {"Mich", O},
    {"Minn", O}, {"Miss", O}, {"Mlle", T}, {"Mme", T}, {"Mmes", T}, {"Mo", O},
    {"Mont", O}, {"Moreover", S}, {"Most", S}, {"Mr", T}, {"Mrs", T},
    {"Ms", T}, {"Msgr", T}, {"Mt", T}, {"My", S}, {"Natl", O}, {"Neb", O},
    {"Nebr", O}, {"Nev", O}, {"Nevertheless", S}, {"No", N|S}, {"Nos", N},
    {"Not", S}, {"Nov", O}, {"Now", S}, {"Oct", O}, {"Of", S},
    {"Officials", S}, {"Okla", O}, {"On", S}, {"Once", S}, {"One", S},
    {"Only", S}, {"Ore", O}, {"Other", S}, {"Our", S}, {"Over", S}, {"Pa", O},
    {"Penn", O}, {"Pkwy", O}, {"Police", S}, {"Pres", T}, {"Prof", T},
    {"Pt", N}, {"Pvt", T}, {"Rd", O}, {"Rep", T}, {"Reps", T}, {"Rev", T},
    {"Sec", T}, {"Sect", N}, {"Sen", T}, {"Sens", T}, {"Sep", O}, {"Sept", O},
    {"Sgt", T}, {"She", S}, {"Should", S}, {"Since", S}, {"So", S},
    {"Some", S}, {"Sq", O}, {"Sr", O}, {"Sra", T}, {"St", O}, {"Ste", T},
    {"Still", S}, {"Such", S}, {"Supt", T}, {"Tenn", O}, {"Tex", O},
    {"That", S}, {"The", S}, {"Their", S}, {"Then", S}, {"There", S},
    {"These", S}, {"They", S}, {"This", S}, {"Those", S}, {"Though", S},
    {"Thu", O}, {"Thur", O}, {"Thurs", O}, {"Thus", S}, {"To", S}, {"Tue", O},
    {"Tues", O}, {"Under", S}, {"Univ", O}, {"Unlike", S}, {"Until", S},
    {"Va", O}, {"Vol", N}, {"Vs", T}, {"Vt", O}, {"Was", S}, {"Wash", O},
    {"We", S}, {"Wed", O}, {"Were", S}, {"What", S}, {"When", S},
    {"Where", S}, {"Which", S}, {"While", S}, {"Who", S}, {"Why", S},
    {"Will", S}, {"Wis", O}, {"With", S}, {"Without", S}, {"Would", S},
    {"Wyo", O}, {"Yes", S}, {"Yet", S}, {"You", S}, {"Your", S}, {"Yr", O},
    {"added", V}, {"adds", V}, {"al", O}, {"approx", O}, {"argued", V},
    {"asked", V}, {"asks", V}, {"c", T}, {"ca", T}, {"cf", T}, {"chimed", V},
    {"continued", V}, {"countered", V}, {"cried", V}, {"declared", V},
    {"demanded", V}, {"e.g", T}, {"est", O}, {"etc", O}, {"exclaimed", V},
    {"explained", V}, {"hr", O}, {"hrs", O}, {"i.e", T}, {"insisted", V},
    {"interjected", V}, {"joked", V}, {"laughed", V}, {"min", O}, {"mins", O},
    {"no", N}, {"noted", V}, {"p", N}, {"pp", N}, {"pressed", V},
    {"questioned", V}, {"quipped", V}, {"recalled", V}, {"remarked", V},
    {"repeated", V}, {"replied", V}, {"replies", V}, {"responded", V},
    {"said", V}, {"says", V}, {"screamed", V}, {"shouted", V}, {"tells", V},
    {"told", V}, {"tweeted", V}, {"tweets", V}, {"v", T}, {"viz", T},
    {"vs", T}, {"wondered", V}, {"writes", V}, {"wrote", V}, {"yelled", V},
    {"yr", O}, {"yrs", O},
};

#undef T
#undef O
#undef N
#undef S
#undef V

static int cmp_word(const char *w, const char *s, size_t len) {
    size_t i = 0;
    for (; i < len && w[i]; i++)
        if (w[i] != s[i]) return (unsigned char)w[i] < (unsigned char)s[i] ? -1 : 1;
    if (i < len) return -1; /* w is a proper prefix of s */
    return w[i] ? 1 : 0;
}

static int lookup(const char *s, size_t len) {
    size_t lo = 0, hi = sizeof lexicon / sizeof lexicon[0];
    if (len == 0 || len > 12) return 0;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = cmp_word(lexicon[mid].w, s, len);
        if (c == 0) return lexicon[mid].kind;
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

int ws_tok_abbrev_kind(const char *s, size_t len) { return lookup(s, len) & 3; }

int ws_tok_is_starter(const char *s, size_t len) { return (lookup(s, len) & 4) != 0; }

int ws_tok_is_speech_verb(const char *s, size_t len) { return (lookup(s, len) & 8) != 0; }
