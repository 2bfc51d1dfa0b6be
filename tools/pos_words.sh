#!/bin/sh
# pos_words.sh - writes the word list the POS tagger prepares at load time
# (data/models/pos_words.bin): the N most frequent token forms of a CoNLL-U
# file, one per line, most frequent first (ties in byte order). A token whose
# gold tag is `` or '' is counted under that tag's name, which is the form the
# tagger sees for a paired quote mark (as in tools/train_pos.c). The list only
# decides which words are reduced and summed once per engine instead of once
# per document: any list gives the same tags (see src/model/pos.c).
#
# usage: tools/pos_words.sh TRAIN.conllu N > data/models/pos_words.bin
set -eu
[ $# -eq 2 ] || { echo "usage: $0 TRAIN.conllu N" >&2; exit 2; }
LC_ALL=C awk -F '\t' '
    /^[0-9]/ && $1 !~ /[-.]/ {
        f = $2
        if ($5 == "``" || $5 == "'"''"'") f = $5
        n[f]++
    }
    END { for (w in n) printf "%d\t%s\n", n[w], w }' "$1" |
    LC_ALL=C sort -t "$(printf '\t')" -k1,1nr -k2,2 |
    head -n "$2" | cut -f 2-
