/*
 * Runs a fuzzing harness without libFuzzer: every file named on the
 * command line, and every regular file inside a directory named there, is
 * passed once to LLVMFuzzerTestOneInput. Used as a meson test so that
 * every build replays the committed seed and regression corpus; a violated
 * invariant traps and fails the test.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fuzz_common.h"

static int
replay_file(const char *path)
{
    FILE *fp = fopen(path, "rb");
    unsigned char *data = NULL;
    size_t size = 0;
    size_t cap = 0;
    int c;

    if (fp == NULL) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return 1;
    }
    while ((c = fgetc(fp)) != EOF) {
        if (size == cap) {
            size_t new_cap = cap == 0 ? 4096 : 2 * cap;
            unsigned char *grown = realloc(data, new_cap);

            if (grown == NULL) {
                free(data);
                fclose(fp);
                fprintf(stderr, "replay: out of memory reading %s\n", path);
                return 1;
            }
            data = grown;
            cap = new_cap;
        }
        data[size++] = (unsigned char)c;
    }
    fclose(fp);
    LLVMFuzzerTestOneInput(data, size);
    free(data);
    return 0;
}

static int
replay_path(const char *path, size_t *count)
{
    struct stat st;
    DIR *dir;
    struct dirent *entry;
    int failures = 0;

    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: %s not found\n", path);
        return 1;
    }
    if (!S_ISDIR(st.st_mode)) {
        *count += 1;
        return replay_file(path);
    }
    dir = opendir(path);
    if (dir == NULL) {
        fprintf(stderr, "replay: cannot open directory %s\n", path);
        return 1;
    }
    while ((entry = readdir(dir)) != NULL) {
        char child[4096];

        if (entry->d_name[0] == '.') {
            continue;
        }
        snprintf(child, sizeof child, "%s/%s", path, entry->d_name);
        if (stat(child, &st) == 0 && S_ISREG(st.st_mode)) {
            *count += 1;
            failures += replay_file(child);
        }
    }
    closedir(dir);
    return failures;
}

int
main(int argc, char **argv)
{
    size_t count = 0;
    int failures = 0;

    for (int i = 1; i < argc; i++) {
        failures += replay_path(argv[i], &count);
    }
    if (count == 0) {
        fprintf(stderr, "replay: no input files\n");
        return 1;
    }
    printf("replayed %zu inputs, %d unreadable\n", count, failures);
    return failures == 0 ? 0 : 1;
}
