/* whosaid.c - STUB CLI. */
#include "whosaid.h"
#include <stdio.h>
int main(void) { printf("%s\n", ws_version()); return 0; }
