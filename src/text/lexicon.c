/*
 * lexicon.c - small word lists of the text layer: abbreviations that keep
 * their period, and words that typically start a sentence (used to decide
 * whether "U.S." or "Inc." ends one).
 */
#include "tok_int.h"

/* Titles before names: a period after them never ends a sentence. */
static const char *const titles[] = {
    "Mr", "Mrs", "Ms", "Messrs", "Mmes", "Dr", "Drs", "Gov", "Govs", "Sen",
    "Sens", "Rep", "Reps", "Gen", "Gens", "Lt", "Col", "Sgt", "Capt", "Cpl",
    "Pvt", "Maj", "Adm", "Cmdr", "Brig", "Prof", "Rev", "Hon", "Pres",
    "Supt", "Atty", "Amb", "Sec", "Fr", "Ste", "Mt",
    "Ft", "vs", "v", "Vs", "Ald", "Insp", "Det", "Msgr", "Sra", "Mme",
    "Mlle",
};

/* Abbreviations only before a number: "No. 5", "Art. 3". */
static const char *const numbered[] = {
    "No", "Nos", "no", "Art", "Sect", "Ch", "Fig", "Vol", "Pt", "p", "pp",
};

/* Other abbreviations: may end a sentence before a typical starter. */
static const char *const others[] = {
    "Jr", "Sr", "St", "Inc", "Corp", "Co", "Ltd", "Bros", "Cos", "Assn", "Dept", "Univ",
    "Ave", "Blvd", "Rd", "Hwy", "Pkwy", "Sq", "etc", "approx", "est",
    "Jan", "Feb", "Mar", "Apr", "Jun", "Jul", "Aug", "Sep", "Sept", "Oct",
    "Nov", "Dec", "Tue", "Tues", "Wed", "Thu", "Thur", "Thurs",
    "Fri", "Ala", "Ariz", "Ark", "Calif", "Colo", "Conn",
    "Fla", "Ga", "Del", "Ill", "Ind", "Kan", "Kans", "Ky", "La", "Md", "Mass",
    "Mich", "Minn", "Miss", "Mo", "Mont", "Neb", "Nebr", "Nev", "Okla",
    "Ore", "Pa", "Penn", "Tenn", "Tex", "Va", "Vt", "Wash", "Wis", "Wyo",
    "Yr", "yr", "yrs", "min", "mins", "hr", "hrs", "cf", "al", "ca",
    "Intl", "Natl", "Govt", "Dist", "Ct", "Jud",
};

/* Capitalised words that usually begin a sentence, not a name. */
static const char *const starters[] = {
    "The", "He", "She", "It", "But", "In", "A", "An", "This", "They", "We",
    "I", "That", "There", "These", "Those", "His", "Her", "Its", "Their",
    "Our", "Your", "My", "As", "At", "And", "On", "For", "After", "Before",
    "While", "When", "If", "Some", "Many", "Most", "So", "Yet", "Now",
    "Still", "Meanwhile", "However", "Also", "One", "What", "Why", "How",
    "Who", "Where", "Which", "Last", "Earlier", "Later", "Since",
    "Although", "Though", "Despite", "Under", "With", "Without", "By",
    "From", "To", "Of", "Both", "All", "Each", "Every", "No", "Not",
    "Then", "Here", "Yes", "Instead", "Even", "Only", "Just", "Such",
    "Other", "Another", "According", "During", "Because", "Over", "Among",
    "Asked", "Officials", "Police", "You", "Is", "Are", "Was", "Were",
    "Do", "Does", "Did", "Can", "Could", "Will", "Would", "Should", "Has",
    "Have", "Had", "Let", "Once", "Until", "Unlike", "Like", "About",
    "Thus", "Indeed", "Moreover", "Nevertheless", "Still", "Then",
};

static int in_list(const char *const *list, size_t count, const char *s,
                   size_t len) {
    for (size_t i = 0; i < count; i++) {
        const char *w = list[i];
        if (strlen(w) == len && memcmp(w, s, len) == 0) return 1;
    }
    return 0;
}

#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

int ws_tok_abbrev_kind(const char *s, size_t len) {
    if (len == 0 || len > 8) return WS_ABBR_NONE;
    if (in_list(titles, COUNT(titles), s, len)) return WS_ABBR_TITLE;
    if (in_list(others, COUNT(others), s, len)) return WS_ABBR_OTHER;
    if (in_list(numbered, COUNT(numbered), s, len)) return WS_ABBR_NUMBERED;
    return WS_ABBR_NONE;
}

int ws_tok_is_starter(const char *s, size_t len) {
    if (len == 0 || len > 12) return 0;
    return in_list(starters, COUNT(starters), s, len);
}
