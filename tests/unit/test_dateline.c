/* test_dateline.c - ws_dateline_find on the dateline forms of news wires and
 * on sentences and headlines that must not match (owned by "meta"). */
#include "article/dateline.h"
#include "harness.h"

#include <stdlib.h>
#include <string.h>

static int streq(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

/* Expects a dateline whose span is the text before `rest` (the span ends at
 * the given dateline text), with the given fields (NULL = absent). */
static void expect(const char *body, const char *dl_text, const char *place, const char *date,
                   const char *agency)
{
    ws_dateline_parse d;
    int r = ws_dateline_find(body, strlen(body), &d);
    CHECK(r == 1, "no dateline found in \"%s\"", body);
    if (r != 1)
        return;
    size_t want_start = (size_t)(strstr(body, dl_text) - body);
    CHECK(d.start == want_start && d.end == want_start + strlen(dl_text),
          "span [%zu,%zu) \"%.*s\" for \"%s\", want \"%s\"", d.start, d.end,
          (int)(d.end - d.start), body + d.start, body, dl_text);
    CHECK(streq(d.place, place), "place \"%s\" want \"%s\" in \"%s\"", d.place ? d.place : "(null)",
          place ? place : "(null)", body);
    CHECK(streq(d.date, date), "date \"%s\" want \"%s\" in \"%s\"", d.date ? d.date : "(null)",
          date ? date : "(null)", body);
    CHECK(streq(d.agency, agency), "agency \"%s\" want \"%s\" in \"%s\"",
          d.agency ? d.agency : "(null)", agency ? agency : "(null)", body);
    ws_dateline_parse_free(&d);
    CHECK(d.place == NULL && d.date == NULL && d.agency == NULL, "free zeroes");
}

static void expect_none(const char *body)
{
    ws_dateline_parse d;
    int r = ws_dateline_find(body, strlen(body), &d);
    CHECK(r == 0, "false dateline [%zu,%zu) in \"%s\"", d.start, d.end, body);
    CHECK(d.place == NULL && d.date == NULL && d.agency == NULL, "out zeroed on no match");
    ws_dateline_parse_free(&d);
}

int main(void)
{
    /* the forms of the issue */
    expect("MOSCOW, December 30. /TASS/. Russian Foreign Minister Sergey Lavrov said...",
           "MOSCOW, December 30. /TASS/.", "Moscow", "December 30", "TASS");
    expect("WASHINGTON (Reuters) - The U.S. Senate on Tuesday passed...",
           "WASHINGTON (Reuters) -", "Washington", NULL, "Reuters");
    expect("HAYWARD, Calif. (AP) \xE2\x80\x94 A fire broke out on Monday.",
           "HAYWARD, Calif. (AP) \xE2\x80\x94", "Hayward, Calif.", NULL, "AP");
    expect("BERLIN -- Chancellor Angela Merkel said on Friday that...",
           "BERLIN --", "Berlin", NULL, NULL);
    expect("LONDON, Dec 30 (Reuters) - British house prices rose.",
           "LONDON, Dec 30 (Reuters) -", "London", "Dec 30", "Reuters");
    expect("NEW YORK, N.Y. (AP) - Stocks fell sharply in early trading.",
           "NEW YORK, N.Y. (AP) -", "New York, N.Y.", NULL, "AP");
    expect("PARIS (AFP) - France will raise the minimum wage, the government said.",
           "PARIS (AFP) -", "Paris", NULL, "AFP");
    expect("KIEV, January 5 /Interfax/ - Ukraine's parliament will meet on Friday.",
           "KIEV, January 5 /Interfax/ -", "Kiev", "January 5", "Interfax");
    expect("\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90, 30 \xD0\xB4\xD0\xB5\xD0\xBA\xD0\xB0"
           "\xD0\xB1\xD1\x80\xD1\x8F. /\xD0\xA2\xD0\x90\xD0\xA1\xD0\xA1/. \xD0\x9C\xD0\xB8\xD0\xBD"
           "\xD0\xB8\xD1\x81\xD1\x82\xD1\x80 \xD0\xB7\xD0\xB0\xD1\x8F\xD0\xB2\xD0\xB8\xD0\xBB.",
           "\xD0\x9C\xD0\x9E\xD0\xA1\xD0\x9A\xD0\x92\xD0\x90, 30 \xD0\xB4\xD0\xB5\xD0\xBA\xD0\xB0"
           "\xD0\xB1\xD1\x80\xD1\x8F. /\xD0\xA2\xD0\x90\xD0\xA1\xD0\xA1/.",
           "\xD0\x9C\xD0\xBE\xD1\x81\xD0\xBA\xD0\xB2\xD0\xB0", /* Москва */
           "30 \xD0\xB4\xD0\xB5\xD0\xBA\xD0\xB0\xD0\xB1\xD1\x80\xD1\x8F", /* 30 декабря */
           "\xD0\xA2\xD0\x90\xD0\xA1\xD0\xA1"); /* ТАСС */
    /* more wire forms */
    expect("WASHINGTON \xE2\x80\x94 President Obama said on Monday...",
           "WASHINGTON \xE2\x80\x94", "Washington", NULL, NULL);
    expect("ST. LOUIS (AP) \xE2\x80\x93 A jury on Tuesday...", "ST. LOUIS (AP) \xE2\x80\x93",
           "St. Louis", NULL, "AP");
    expect("BEIJING, March 3 (Xinhua) -- China's economy grew 6.1 percent.",
           "BEIJING, March 3 (Xinhua) --", "Beijing", "March 3", "Xinhua");
    expect("  \nSAN FRANCISCO, Dec. 30, 2020 (Reuters) - Apple said...",
           "SAN FRANCISCO, Dec. 30, 2020 (Reuters) -", "San Francisco", "Dec. 30, 2020",
           "Reuters");
    expect("Berlin (dpa) - Die Bundesregierung hat am Montag...", "Berlin (dpa) -", "Berlin",
           NULL, "dpa");
    expect("Moscow, December 30 /TASS/ - Russia's envoy said...",
           "Moscow, December 30 /TASS/ -", "Moscow", "December 30", "TASS");
    expect("KYIV, Ukraine \xE2\x80\x94 Russian forces shelled the city overnight.",
           "KYIV, Ukraine \xE2\x80\x94", "Kyiv, Ukraine", NULL, NULL);

    expect("NEW DELHI: Their American dream shattered, nearly 150 Indians were deported.",
           "NEW DELHI:", "New Delhi", NULL, NULL);

    /* normal sentences and headlines: no dateline */
    expect_none("DEAR ABBY: My husband of more than 20 years just bought tickets.");
    expect_none("UPDATE: The story has been corrected.");
    expect_none("NOTE: prices may vary.");
    expect_none("Claim: the vaccine changes DNA.");
    expect_none("Sen. Bernie Sanders (I-Vt.) said on Sunday that he would stay.");
    expect_none("Rep. Trey Gowdy (R-S.C.): \"We will find out.\"");
    expect_none("LOOK: The photos of the storm.");
    expect_none("FIX IS IN: The board picked its chair.");
    expect_none("Paris (Texas) is a small town.");
    expect("Hong Kong (CNN Business)Billionaire Jack Ma said...", "Hong Kong (CNN Business)",
           "Hong Kong", NULL, "CNN Business");
    expect_none("However, the minister said the talks would continue.");
    expect_none("The minister said - and repeated - that the talks would continue.");
    expect_none("Moscow, the Russian capital, is cold in December.");
    expect_none("BREAKING NEWS - Parliament dissolved");
    expect_none("STOCKS RALLY AS FED HOLDS RATES - MARKETS CHEER");
    expect_none("WASHINGTON SAID ON MONDAY THAT IT WOULD ACT");
    expect_none("Obama, Clinton and Sanders met on Tuesday.");
    expect_none("In December 30 people died - officials said.");
    expect_none("A - the first letter.");
    expect_none("");
    expect_none("   \n\n  ");
    expect_none("\xFF\xFE\xFD - bad bytes (AP)");
    /* a dateline in the second paragraph is not at the start of the body */
    expect_none("Lavrov met Kerry.\nMOSCOW, December 30. /TASS/. Text.");

    /* bounds: only the given length is read */
    {
        const char *b = "PARIS (AFP) - text";
        ws_dateline_parse d;
        CHECK(ws_dateline_find(b, 6, &d) == 0, "truncated body \"PARIS \" has no separator");
        ws_dateline_parse_free(&d);
        CHECK(ws_dateline_find(NULL, 10, &d) == 0, "NULL body");
        ws_dateline_parse_free(NULL);
    }
    /* a long first line of capitals does not run away */
    {
        size_t n = 100000;
        char *big = malloc(n + 1);
        if (big) {
            for (size_t i = 0; i < n; i++)
                big[i] = (i % 7 == 6) ? ' ' : 'A';
            big[n] = 0;
            ws_dateline_parse d;
            CHECK(ws_dateline_find(big, n, &d) == 0, "100 KB of capitals: no dateline");
            ws_dateline_parse_free(&d);
            free(big);
        }
    }
    /* random bytes and random mixes of dateline pieces: never crash, spans
     * stay in bounds and on the input's prefix (fixed-seed LCG, no globals) */
    {
        static const char *const pieces[] = {"MOSCOW", "New York", ", ", "N.Y.", " (AP)", " /TASS/",
                                             ". ", " -", " \xE2\x80\x94", "December", " 30", "\n",
                                             "\xD0\x9C\xD0\x9E", "(", "/", "\xFF", " ", "--",
                                             "\xE2\x80", "however", "2020"};
        unsigned long long x = 88172645463325252ULL;
        int bad = 0;
        char buf[256];
        for (int it = 0; it < 20000; it++) {
            size_t n = 0;
            test_lcg(&x);
            if (it % 2) {
                size_t len = (size_t)(x >> 33) % 200;
                for (size_t i = 0; i < len; i++) {
                    test_lcg(&x);
                    buf[n++] = (char)(x >> 56);
                }
            } else {
                n = test_add_pieces(buf, n, sizeof buf, pieces, sizeof pieces / sizeof pieces[0],
                                    (int)((x >> 33) % 8) + 1, &x);
            }
            ws_dateline_parse d;
            if (ws_dateline_find(buf, n, &d)) {
                if (!(d.start < d.end && d.end <= n && d.place))
                    bad++;
            } else if (d.place || d.date || d.agency) {
                bad++;
            }
            ws_dateline_parse_free(&d);
        }
        CHECK(bad == 0, "%d random inputs gave a bad span or fields", bad);
    }
    return TEST_REPORT();
}
