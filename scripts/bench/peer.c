/*
 * The C peer of issue 14's cold-run goal: a hand-written, single-threaded program that reads
 * customers.csv and subscriptions.csv of ../shared/bench (the data contract's layout), computes
 * the six simple aggregates of ../shared/bench/WORKLOAD.md and prints them as JSON in the layout
 * of bench_duckdb.py. No validation beyond what parsing needs: it is the lower bound that
 * `prosper-rules report` (which validates everything) is measured against.
 *
 *   cc -O2 -o .bench/peer scripts/bench/peer.c && .bench/peer .bench/n1m [2026-11-01]
 *
 * Fields are RFC 4180 (double-quote quoting, "" inside quotes). Files are memory-mapped;
 * customer ids arrive sorted in the kit's files, so a subscription row finds its customer as the
 * same one as the row before, the next one, or by binary search; unsorted ids fall back to an
 * open-addressing hash table.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct { const char *p; int n; } Str;

static char *slurp(const char *dir, const char *name, size_t *len) {
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    int fd = open(path, O_RDONLY);
    if (fd < 0) { perror(path); exit(2); }
    struct stat st;
    if (fstat(fd, &st) != 0) { perror(path); exit(2); }
    /* Mapped privately with one spare page, so the parser can rely on a final '\n'. */
    size_t size = (size_t)st.st_size;
    char *buf = mmap(NULL, size + 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_POPULATE, fd, 0);
    if (buf == MAP_FAILED) { perror(path); exit(2); }
    close(fd);
    if (size == 0 || buf[size - 1] != '\n') {
        fprintf(stderr, "%s: must end with a line break\n", path);
        exit(2);
    }
    *len = size;
    return buf;
}

/* Splits one record starting at *pos into fields; returns the count, moves *pos past the
 * line end. Quoted fields keep their quotes' content unescaped only when needed (the six
 * aggregates never read a field that contains a doubled quote). */
static int split(char *buf, size_t len, size_t *pos, Str *f, int max) {
    size_t i = *pos;
    int n = 0;
    for (;;) {
        if (buf[i] == '"') {
            size_t s = ++i;
            while (i < len && !(buf[i] == '"' && buf[i + 1] != '"')) i += (buf[i] == '"') ? 2 : 1;
            if (n < max) { f[n].p = buf + s; f[n].n = (int)(i - s); }
            n++;
            i++;
        } else {
            size_t s = i;
            while (buf[i] != ',' && buf[i] != '\n' && buf[i] != '\r') i++;
            if (n < max) { f[n].p = buf + s; f[n].n = (int)(i - s); }
            n++;
        }
        if (buf[i] == ',') { i++; continue; }
        if (buf[i] == '\r') i++;
        i++;
        break;
    }
    *pos = i;
    return n;
}

static long num(Str s) {
    long v = 0;
    int neg = 0, i = 0;
    if (s.n > 0 && s.p[0] == '-') { neg = 1; i = 1; }
    for (; i < s.n; i++) v = v * 10 + (s.p[i] - '0');
    return neg ? -v : v;
}

static long cents(Str s) {
    long v = 0, frac = 0;
    int i = 0, neg = 0, digits = -1;
    if (s.n > 0 && s.p[0] == '-') { neg = 1; i = 1; }
    for (; i < s.n; i++) {
        if (s.p[i] == '.') { digits = 0; continue; }
        if (digits < 0) v = v * 10 + (s.p[i] - '0');
        else if (digits < 2) { frac = frac * 10 + (s.p[i] - '0'); digits++; }
    }
    if (digits < 0) digits = 0;
    while (digits < 2) { frac *= 10; digits++; }
    return neg ? -(v * 100 + frac) : v * 100 + frac;
}

static long days(Str s) { /* days since 1970-01-01 of YYYY-MM-DD */
    if (s.n < 10) return 0;
    long y = num((Str){s.p, 4}), m = num((Str){s.p + 5, 2}), d = num((Str){s.p + 8, 2});
    y -= m <= 2;
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static int strcmp_bytes(Str a, Str b) {
    int m = a.n < b.n ? a.n : b.n;
    int c = memcmp(a.p, b.p, (size_t)m);
    return c != 0 ? c : a.n - b.n;
}

static uint64_t hash(Str s) {
    uint64_t h = 1469598103934665603ULL;
    for (int i = 0; i < s.n; i++) h = (h ^ (unsigned char)s.p[i]) * 1099511628211ULL;
    return h;
}

typedef struct {
    long mrr;
    uint64_t products;
    int employees, users, failed, inactive;
    signed char cancel, churned, segment;
} Customer;

static const char *SEGMENTS[4] = {"Micro", "Small Business", "Mid-Market", "Enterprise"};

static char *product_names[64];
static int product_count = 0;

static int product_index(Str s) {
    for (int i = 0; i < product_count; i++)
        if ((int)strlen(product_names[i]) == s.n && memcmp(product_names[i], s.p, (size_t)s.n) == 0) return i;
    if (product_count == 64) { fprintf(stderr, "more than 64 products\n"); exit(2); }
    product_names[product_count] = strndup(s.p, (size_t)s.n);
    return product_count++;
}

static void money(char *out, long c) {
    sprintf(out, "%s%ld.%02ld", c < 0 ? "-" : "", labs(c) / 100, labs(c) % 100);
}

static void avg(char *out, long c, long n) {
    if (n == 0) { strcpy(out, "0.00"); return; }
    money(out, (2 * c + n) / (2 * n));
}

typedef struct { uint64_t mask; long customers, mrr; char key[512]; } Combo;

static int combo_cmp(const void *a, const void *b) {
    const Combo *x = a, *y = b;
    if (x->mrr != y->mrr) return x->mrr > y->mrr ? -1 : 1;
    return strcmp(x->key, y->key);
}

static int name_cmp(const void *a, const void *b) {
    return strcmp(product_names[*(const int *)a], product_names[*(const int *)b]);
}

int main(int argc, char **argv) {
    if (argc < 2) { fprintf(stderr, "usage: peer DATADIR [YYYY-MM-DD]\n"); return 2; }
    const char *asof_text = argc > 2 ? argv[2] : "2026-11-01";
    long asof = days((Str){asof_text, (int)strlen(asof_text)});

    size_t clen, slen;
    char *cbuf = slurp(argv[1], "customers.csv", &clen);
    size_t pos = 0;
    Str f[16];
    split(cbuf, clen, &pos, f, 16); /* header */
    size_t cap = 1024;
    while (cap < clen / 40) cap <<= 1;
    Customer *cs = malloc(cap * sizeof *cs);
    size_t tcap = cap * 2;
    int32_t *table = malloc(tcap * sizeof *table);
    Str *ids = malloc(cap * sizeof *ids);
    memset(table, 0xff, tcap * sizeof *table);
    long n = 0;
    int sorted = 1; /* ids ascending: found by binary search, no hash table */
    while (pos < clen) {
        int k = split(cbuf, clen, &pos, f, 16);
        if (k < 13) continue;
        if ((size_t)n == cap) {
            fprintf(stderr, "more customers than the size estimate\n");
            return 2;
        }
        Customer *c = &cs[n];
        c->mrr = 0; c->products = 0;
        c->employees = (int)num(f[4]);
        c->users = (int)num(f[5]);
        c->inactive = (int)(asof - days(f[7]));
        c->failed = (int)num(f[9]);
        c->cancel = f[11].n == 4 && f[11].p[0] == 't';
        c->churned = f[12].n == 0 ? -1 : (f[12].p[0] == 't');
        c->segment = c->employees < 10 ? 0 : c->employees < 50 ? 1 : c->employees < 250 ? 2 : 3;
        ids[n] = f[0];
        if (sorted && n > 0 && strcmp_bytes(ids[n - 1], f[0]) >= 0) sorted = 0;
        n++;
    }

    if (!sorted)
        for (long i = 0; i < n; i++) {
            size_t h = hash(ids[i]) & (tcap - 1);
            while (table[h] >= 0) h = (h + 1) & (tcap - 1);
            table[h] = (int32_t)i;
        }

    char *sbuf = slurp(argv[1], "subscriptions.csv", &slen);
    pos = 0;
    split(sbuf, slen, &pos, f, 16);
    long active = 0;
    int32_t last = -1;
    long revenue[64][4], rows[64][4];
    memset(revenue, 0, sizeof revenue);
    memset(rows, 0, sizeof rows);
    while (pos < slen) {
        int k = split(sbuf, slen, &pos, f, 16);
        if (k < 5) continue;
        if (!(f[4].n == 6 && memcmp(f[4].p, "active", 6) == 0)) continue;
        int32_t found = -1;
        if (last >= 0 && ids[last].n == f[0].n && memcmp(ids[last].p, f[0].p, (size_t)f[0].n) == 0) found = last;
        else if (sorted && last + 1 < n && strcmp_bytes(ids[last + 1], f[0]) == 0) found = last + 1;
        else if (sorted) {
            long lo = 0, hi = n - 1;
            while (lo <= hi) {
                long mid = lo + (hi - lo) / 2;
                int c = strcmp_bytes(ids[mid], f[0]);
                if (c == 0) { found = (int32_t)mid; break; }
                if (c < 0) lo = mid + 1; else hi = mid - 1;
            }
        }
        size_t h = hash(f[0]) & (tcap - 1);
        while (!sorted && found < 0 && table[h] >= 0) {
            Str id = ids[table[h]];
            if (id.n == f[0].n && memcmp(id.p, f[0].p, (size_t)id.n) == 0) { found = table[h]; break; }
            h = (h + 1) & (tcap - 1);
        }
        if (found < 0) continue;
        last = found;
        int p = product_index(f[1]);
        long price = cents(f[2]);
        Customer *c = &cs[found];
        c->mrr += price;
        c->products |= 1ULL << p;
        revenue[p][(int)c->segment] += price;
        rows[p][(int)c->segment]++;
        active++;
    }

    long loyal_n[65] = {0}, loyal_mrr[65] = {0};
    long seg_n[4] = {0}, seg_mrr[4] = {0};
    long alerts = 0, risk = 0, churned = 0, tp = 0, flagged_lab = 0;
    long upsell[5] = {0};
    int payroll = -1, payments = -1, invoicing = -1, timetracking = -1, accounting = -1, tax = -1;
    for (int i = 0; i < product_count; i++) {
        const char *s = product_names[i];
        if (!strcmp(s, "Payroll")) payroll = i;
        else if (!strcmp(s, "Payments")) payments = i;
        else if (!strcmp(s, "Invoicing")) invoicing = i;
        else if (!strcmp(s, "Time Tracking")) timetracking = i;
        else if (!strcmp(s, "Accounting")) accounting = i;
        else if (!strcmp(s, "Tax Filing")) tax = i;
    }
#define HAS(c, i) ((i) >= 0 && ((c)->products >> (i) & 1))
    size_t ccap = 4096, ccount = 0;
    Combo *combos = calloc(ccap, sizeof *combos);
    enum { CSLOTS = 1 << 20 };
    int32_t *cslot = malloc(CSLOTS * sizeof *cslot);
    memset(cslot, 0xff, CSLOTS * sizeof *cslot);
    for (long i = 0; i < n; i++) {
        Customer *c = &cs[i];
        int pc = __builtin_popcountll(c->products);
        loyal_n[pc]++; loyal_mrr[pc] += c->mrr;
        seg_n[(int)c->segment]++; seg_mrr[(int)c->segment] += c->mrr;
        int flag = c->mrr >= 5000 && (c->inactive >= 45 || c->cancel || c->failed >= 2);
        if (flag) { alerts++; risk += c->mrr; }
        if (c->churned == 1) { churned++; if (flag) tp++; }
        if (flag && c->churned >= 0) flagged_lab++;
        int rec;
        if ((c->segment == 1 || c->segment == 2) && c->users >= 10 && !HAS(c, payroll)) rec = 0;
        else if (HAS(c, invoicing) && !HAS(c, payments)) rec = 1;
        else if (pc >= 3 && !HAS(c, timetracking) && c->employees >= 20) rec = 2;
        else if (HAS(c, accounting) && !HAS(c, tax)) rec = 3;
        else rec = 4;
        upsell[rec]++;
        if (pc > 0) {
            size_t h = (size_t)((c->products * 0x9E3779B97F4A7C15ULL) >> 40) & (CSLOTS - 1);
            while (cslot[h] >= 0 && combos[cslot[h]].mask != c->products) h = (h + 1) & (CSLOTS - 1);
            if (cslot[h] < 0) {
                if (ccount == ccap) { ccap *= 2; combos = realloc(combos, ccap * sizeof *combos); }
                combos[ccount].mask = c->products; combos[ccount].customers = 0; combos[ccount].mrr = 0;
                cslot[h] = (int32_t)ccount++;
            }
            combos[cslot[h]].customers++; combos[cslot[h]].mrr += c->mrr;
        }
    }
    int order[64];
    for (int i = 0; i < product_count; i++) order[i] = i;
    qsort(order, (size_t)product_count, sizeof *order, name_cmp);
    for (size_t j = 0; j < ccount; j++) {
        char *k = combos[j].key;
        k[0] = 0;
        for (int o = 0; o < product_count; o++)
            if (combos[j].mask >> order[o] & 1) {
                if (k[0]) strcat(k, "+");
                strcat(k, product_names[order[o]]);
            }
    }
    qsort(combos, ccount, sizeof *combos, combo_cmp);

    char a[32], b[32];
    printf("{\n \"as_of\": \"%s\",\n \"customers\": %ld,\n \"active_subscriptions\": %ld,\n", asof_text, n, active);
    printf(" \"A_loyalty\": [");
    int first = 1;
    for (int k = 0; k <= 64; k++) {
        if (!loyal_n[k]) continue;
        money(a, loyal_mrr[k]); avg(b, loyal_mrr[k], loyal_n[k]);
        printf("%s\n  {\"product_count\": %d, \"customers\": %ld, \"total_mrr\": \"%s\", \"avg_mrr\": \"%s\"}",
               first ? "" : ",", k, loyal_n[k], a, b);
        first = 0;
    }
    printf("\n ],\n \"B_revenue\": [");
    first = 1;
    for (int o = 0; o < product_count; o++) {
        int seg_order[4] = {3, 0, 2, 1}; /* byte order: Enterprise, Micro, Mid-Market, Small Business */
        for (int s = 0; s < 4; s++) {
            int sg = seg_order[s];
            int p = order[o];
            if (!rows[p][sg]) continue;
            money(a, revenue[p][sg]);
            printf("%s\n  {\"product\": \"%s\", \"segment\": \"%s\", \"revenue\": \"%s\"}",
                   first ? "" : ",", product_names[p], SEGMENTS[sg], a);
            first = 0;
        }
    }
    printf("\n ],\n \"C_top_combos\": [");
    for (size_t j = 0; j < ccount && j < 3; j++) {
        money(a, combos[j].mrr);
        printf("%s\n  {\"combo\": \"%s\", \"customers\": %ld, \"mrr\": \"%s\"}", j ? "," : "",
               combos[j].key, combos[j].customers, a);
    }
    money(a, risk);
    printf("\n ],\n \"D_churn\": {\"alerts\": %ld, \"revenue_at_risk\": \"%s\", \"churned\": %ld, "
           "\"true_positives\": %ld, \"precision\": %.6f, \"recall\": %.6f},\n",
           alerts, a, churned, tp, flagged_lab ? (double)tp / flagged_lab : 0.0,
           churned ? (double)tp / churned : 0.0);
    printf(" \"E_upsell\": {\"Payroll\": %ld, \"Payments\": %ld, \"Time Tracking\": %ld, "
           "\"Tax Filing\": %ld, \"none\": %ld},\n",
           upsell[0], upsell[1], upsell[2], upsell[3], upsell[4]);
    printf(" \"F_profitability\": [");
    first = 1;
    for (int s = 0; s < 4; s++) {
        if (!seg_n[s]) continue;
        money(a, seg_mrr[s]); avg(b, seg_mrr[s], seg_n[s]);
        printf("%s\n  {\"segment\": \"%s\", \"customers\": %ld, \"mrr\": \"%s\", \"arpu\": \"%s\"}",
               first ? "" : ",", SEGMENTS[s], seg_n[s], a, b);
        first = 0;
    }
    printf("\n ]\n}\n");
    return 0;
}
