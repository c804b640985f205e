/*
 * singdiv: the command-line front end of libsingdiv.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <singdiv/singdiv.h>

#include "commands.h"
#include "diag.h"

typedef struct subcommand {
    const char *name;
    int (*run)(int argc, char **argv);
    const char *summary;
} subcommand;

static const subcommand subcommands[] = {
    {"compare", cli_cmd_compare, "divergences between two distributions in files"},
    {"text", cli_cmd_text, "compare the word (or character, byte) distributions of two texts"},
    {"samples", cli_cmd_samples, "W1, MMD and a permutation test between two samples"},
    {"smooth", cli_cmd_smooth, "smoothed cross-entropy and KL over a range of eps"},
    {"demo", cli_cmd_demo, "run 'text' on two licence texts: the first command to try"},
};

static void
print_help(FILE *out)
{
    fputs("Usage: singdiv COMMAND [OPTIONS] FILE...\n"
          "       singdiv --version | --help\n\n"
          "Singularity-aware divergences between probability distributions: where\n"
          "KL divergence is infinite, singdiv says which entries make it so, how\n"
          "much mass they carry and how fast a smoothed value grows.\n\n"
          "Commands:\n", out);
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        fprintf(out, "  %-10s %s\n", subcommands[i].name, subcommands[i].summary);
    }
    fputs("\nEvery command takes --json (one JSON object on stdout), --base 2 (bits)\n"
          "and --help. Exit status: 0 on success, 2 for usage and input errors,\n"
          "1 for other failures. Start with: singdiv demo\n", out);
}

static int
finish(int status)
{
    errno = 0;
    if (fflush(stdout) != 0 || ferror(stdout)) {
        cli_error("writing to standard output failed: %s",
                  errno != 0 ? strerror(errno) : "unknown error");
        return status != 0 ? status : CLI_EXIT_FAILURE;
    }
    return status;
}

int
main(int argc, char **argv)
{
    if (argc < 2) {
        print_help(stderr);
        return CLI_EXIT_USAGE;
    }
    if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0
        || strcmp(argv[1], "help") == 0) {
        print_help(stdout);
        return finish(CLI_EXIT_OK);
    }
    if (strcmp(argv[1], "--version") == 0) {
        printf("singdiv %s\n", singdiv_version_string());
        return finish(CLI_EXIT_OK);
    }
    for (size_t i = 0; i < sizeof subcommands / sizeof subcommands[0]; i++) {
        if (strcmp(argv[1], subcommands[i].name) == 0) {
            return finish(subcommands[i].run(argc - 1, argv + 1));
        }
    }
    cli_error("unknown command '%s'", argv[1]);
    fputs("Try 'singdiv --help' for the list of commands.\n", stderr);
    return CLI_EXIT_USAGE;
}
