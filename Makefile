# whosaid - build with GNU make. `make` builds the library and the CLI;
# `make test` runs the whole suite (see tests/run.sh).
CC      ?= cc
OPT     ?= -O3 -g
WERROR  ?= -Werror
CFLAGS  ?= $(OPT)
WARN     = -std=c11 -Wall -Wextra -pedantic -Wshadow -Wstrict-prototypes $(WERROR)
CPPFLAGS_ALL = -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc $(CPPFLAGS)
# Debian packages: libutf8proc-dev libgumbo-dev zlib1g-dev libsqlite3-dev
# libmicrohttpd-dev libjansson-dev (scripts/setup.sh installs them).
LIBS     = -lutf8proc -lgumbo -lz -lsqlite3 -lmicrohttpd -ljansson -lm -lpthread
B        = build

# make SAN=1 B=build-san: AddressSanitizer + UBSan everywhere.
ifeq ($(SAN),1)
CFLAGS  += -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
endif

LIB_SRC  = $(sort $(wildcard src/*.c src/*/*.c))
LIB_OBJ  = $(LIB_SRC:%.c=$(B)/%.o) $(B)/gen/models_data.o $(B)/gen/web_data.o
MODELS   = $(sort $(wildcard data/models/*.bin))

.PHONY: all clean test sample
all: $(B)/whosaid $(B)/libwhosaid.a

$(B)/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) -DWS_BUILDING_LIBRARY -fvisibility=hidden $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@

$(B)/tools/bin2c: tools/bin2c.c
	@mkdir -p $(dir $@)
	$(CC) $(WARN) $(CFLAGS) $< -o $@

$(B)/gen/models_data.c: $(B)/tools/bin2c $(MODELS)
	@mkdir -p $(dir $@)
	$(B)/tools/bin2c $@ $(MODELS)

$(B)/gen/models_data.o: $(B)/gen/models_data.c
	$(CC) $(CPPFLAGS_ALL) -DWS_BUILDING_LIBRARY -fvisibility=hidden $(WARN) -O0 -c $< -o $@

# The web page of `whosaid serve` (web/), compiled in like the models; its
# table is named ws_web_blobs (src/server/api.c).
WEB      = $(sort $(wildcard web/*.html web/*.js web/*.css))
$(B)/gen/web_data.c: $(B)/tools/bin2c $(WEB)
	@mkdir -p $(dir $@)
	$(B)/tools/bin2c $@ $(WEB)

$(B)/gen/web_data.o: $(B)/gen/web_data.c
	$(CC) $(CPPFLAGS_ALL) -DWS_BUILDING_LIBRARY -Dws_blobs=ws_web_blobs -fvisibility=hidden $(WARN) -O0 -c $< -o $@

$(B)/libwhosaid.a: $(LIB_OBJ)
	rm -f $@
	ar rcs $@ $^

# The CLI: every programs/*.c (one file per command, see programs/cli.h).
PROG_SRC = $(sort $(wildcard programs/*.c))
PROG_OBJ = $(PROG_SRC:%.c=$(B)/%.o)
$(B)/whosaid: $(PROG_OBJ) $(B)/libwhosaid.a
	$(CC) $(CFLAGS) $^ $(LIBS) -o $@

$(B)/programs/%.o: programs/%.c
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude $(WARN) $(CFLAGS) -MMD -MP -c $< -o $@

# Tools that train models link the library's internals.
$(B)/tools/%: tools/%.c $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $< $(B)/libwhosaid.a $(LIBS) -o $@

# Unit tests see internals too.
$(B)/tests/%: tests/unit/%.c $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $< $(B)/libwhosaid.a $(LIBS) -o $@

# All unit test binaries (tests/unit/*.c) and the JSON writer test.
UNIT_SRC = $(sort $(wildcard tests/unit/*.c))
UNIT_BIN = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%) $(B)/tests/cli/test_json
.PHONY: unit-tests
unit-tests: $(UNIT_BIN)

$(B)/tests/cli/%: tests/cli/%.c $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) $(CPPFLAGS_ALL) $(WARN) $(CFLAGS) $< $(B)/libwhosaid.a $(LIBS) -o $@

# Fuzz targets as plain replay programs (no libFuzzer); tests/fuzz/build.sh
# builds the libFuzzer binaries with clang. -Isrc only for the targets of
# internal parsers (fuzz_date: the date and dateline parsers).
$(B)/tests/fuzz/%: tests/fuzz/%.c $(wildcard tests/fuzz/*.h) $(B)/libwhosaid.a
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L -Iinclude -Isrc $(WARN) $(CFLAGS) $< $(B)/libwhosaid.a $(LIBS) -o $@

# Helpers of the pathological-input test (tests/patho/run.sh).
$(B)/tests/patho/%: tests/patho/%.c tests/fuzz/json_check.h
	@mkdir -p $(dir $@)
	$(CC) -std=c11 -D_POSIX_C_SOURCE=200809L $(WARN) $(CFLAGS) $< -o $@

test: all
	B=$(B) bash tests/run.sh

sample: all
	$(B)/whosaid show samples/tass-lavrov.txt

clean:
	rm -rf $(B)

-include $(shell find $(B) -name '*.d' 2>/dev/null)
