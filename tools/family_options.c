/*
 * Parsing --renyi-alpha and --skew, the parameters of the family section.
 */
#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "diag.h"
#include "family_report.h"

/* The state of the walk over the values of --renyi-alpha. */
typedef struct order_list {
    const cli_command_spec *spec;
    cli_family_request *req;
    const char *value; /* the whole value of the --renyi-alpha being read */
} order_list;

static int
usage_hint(const cli_command_spec *spec)
{
    fprintf(stderr, "Try 'singdiv %s --help' for more information.\n", spec->name);
    return CLI_EXIT_USAGE;
}

/*
 * Parses text[0..length) as one double, with spaces allowed around it.
 * The character at text[length] must be a comma or the end of the string,
 * where strtod() stops. Returns 0, or -1 when it is not one number.
 */
static int
parse_number(const char *text, size_t length, double *out)
{
    char *end;

    *out = strtod(text, &end);
    if (end == text) {
        return -1;
    }
    while (end < text + length && isspace((unsigned char)*end)) {
        end++;
    }
    return end == text + length ? 0 : -1;
}

/* Adds one item of a --renyi-alpha list, text[0..length). */
static int
add_order(order_list *list, const char *text, size_t length)
{
    double alpha;

    if (parse_number(text, length, &alpha) != 0 || isnan(alpha) || alpha <= 0.0) {
        cli_error("%s: invalid order '%.*s' in --renyi-alpha '%s': expected a Renyi order "
                  "alpha > 0 (a number, or inf for the max-divergence)",
                  list->spec->name, (int)length, text, list->value);
        return usage_hint(list->spec);
    }
    if (list->req->renyi_count == CLI_MAX_RENYI_ORDERS) {
        cli_error("%s: too many Renyi orders in --renyi-alpha: at most %d", list->spec->name,
                  CLI_MAX_RENYI_ORDERS);
        return usage_hint(list->spec);
    }
    list->req->renyi_orders[list->req->renyi_count++] = alpha;
    return 0;
}

/* Adds the orders of one --renyi-alpha value, a comma-separated list. */
static int
add_order_list(const char *value, void *context)
{
    order_list *list = context;
    const char *item = value;

    list->value = value;
    for (;;) {
        const char *comma = strchr(item, ',');
        size_t length = comma != NULL ? (size_t)(comma - item) : strlen(item);
        int status = add_order(list, item, length);

        if (status != 0 || comma == NULL) {
            return status;
        }
        item = comma + 1;
    }
}

static int
parse_skew(const cli_command_spec *spec, const cli_args *args, double *pi)
{
    const char *text = cli_arg(spec, args, "skew");

    if (text == NULL) {
        return 0;
    }
    if (parse_number(text, strlen(text), pi) != 0 || !(*pi > 0.0 && *pi < 1.0)) {
        cli_error("%s: invalid value '%s' for --skew: expected a weight pi with 0 < pi < 1",
                  spec->name, text);
        return usage_hint(spec);
    }
    return 0;
}

int
cli_family_request_from_args(const cli_command_spec *spec, const cli_args *args,
                             cli_family_request *req)
{
    order_list list = {spec, req, NULL};
    int status;

    memset(req, 0, sizeof *req);
    req->skew_pi = 0.5;
    status = cli_arg_each(spec, args, "renyi-alpha", add_order_list, &list);
    if (status == 0 && req->renyi_count == 0) {
        req->renyi_orders[0] = 0.5;
        req->renyi_orders[1] = 2.0;
        req->renyi_count = 2;
    }
    return status != 0 ? status : parse_skew(spec, args, &req->skew_pi);
}
