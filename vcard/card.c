/*
 * Virtual ISO 7816-4 file system card: the card logic
 *
 * Copyright 2025 the scardssp authors
 *
 * This library is free software; you can redistribute it and/or
 * modify it under the terms of the GNU Lesser General Public
 * License as published by the Free Software Foundation; either
 * version 2.1 of the License, or (at your option) any later version.
 *
 * This library is distributed in the hope that it will be useful,
 * but WITHOUT ANY WARRANTY; without even the implied warranty of
 * MERCHANTABILITY or FITNESS FOR A PARTICULAR PURPOSE.  See the GNU
 * Lesser General Public License for more details.
 *
 * Everything a test needs to predict the card's answers is in this
 * comment and in vcard/README.md (which says the same at more length).
 *
 * FACTORY STATE
 *
 *   FID   type             parent  SFI  size            access (read / write)  initial content
 *   3F00  DF (MF)          -       -    -               -                      no DF name
 *   0001  transparent      3F00    1    16 bytes        always / always        00 01 02 .. 0F
 *   0002  transparent      3F00    2    1000 bytes      always / always        byte i = i mod 256
 *   0003  linear fixed     3F00    3    8-byte records, always / always        rec n (1..4) = n0 n1 .. n7
 *                                       4 of max 6                             (rec 1 = 10 11 .. 17)
 *   0004  linear variable  3F00    4    records of 1..32 always / always        "ONE" "TWO" "THREE"
 *                                       bytes, 3 of max 8                      (4F4E45 54574F 5448524545)
 *   0005  cyclic           3F00    5    4-byte records, always / always        rec 1 (newest) = C1 C1 C1 C1,
 *                                       3 of max 3                             rec 2 = C2.., rec 3 = C3..
 *   0006  transparent      3F00    6    8 bytes         PIN / PIN              "SECRET01" 5345435245543031
 *   0007  transparent      3F00    7    8 bytes         always / EXT AUTH      00 x 8
 *   1000  DF               3F00    -    -               -                      name F0 56 43 41 52 44 01
 *   1001  transparent      1000    1    64 bytes        always / always        80 81 .. BF
 *   1100  DF               1000    -    -               -                      name F0 56 43 41 52 44 02
 *   1101  transparent      1100    1    8 bytes         always / always        11 22 33 44 55 66 77 88
 *
 *   PIN: reference 01 (VERIFY P2=01), value 31 32 33 34 ("1234"), 3 tries.
 *   Key: 56 43 41 52 44 4B 45 59 ("VCARDKEY"), reference 00 or 01.
 *        f(x)[i] = rotate_left_1_bit(x[i] XOR key[i mod 8]).
 *   Data objects (GET DATA / PUT DATA, P1P2 = tag; the value alone is returned):
 *        0101  56 43 44 31 ("VCD1"), PUT DATA always, 1..32 bytes
 *        0102  00 00 00 00,          PUT DATA needs the PIN, 1..32 bytes
 *        9F7F  56 43 41 52 44 00 01 pp (pp = 00 under T=0, 01 under T=1), read only
 *   GET CHALLENGE: the Nth call since reset (N = 1, 2, ...) returns Ne bytes,
 *        byte k = (N * 0x11 + k) mod 256: the first 8-byte challenge is 11 12 .. 18.
 *
 * SELECT answers with an FCI (P2=00: 6F L ...) or FCP (P2=04: 62 L ...)
 * holding, for a DF: 82 01 38, 83 02 fid, [84 L name]; a transparent EF:
 * 82 01 01, 83 02 fid, 80 02 size; a record EF: 82 05 fdb 41 00 recsize
 * nrecords, 83 02 fid, 80 02 (bytes in all records), with fdb 02 linear
 * fixed, 04 linear variable, 06 cyclic.  P2=0C: no data.
 *
 * Response length rules (the "T=0"/"T=1" personality; see README.md):
 *   T=1: Le absent: no response data.  Le present (Ne): READ BINARY and
 *        READ RECORD return min(Ne, available) bytes, with 6282 when an
 *        explicit Le asked for more than is available (Le 00/0000 means
 *        "up to Ne": 9000); other commands return their n bytes when
 *        n <= Ne, else Ne bytes + 61xx and the rest via GET RESPONSE.
 *        Extended APDUs are accepted.
 *   T=0: a command with data that produces data answers 61xx (data via
 *        GET RESPONSE); a command without data gets its Ne = P3 (00 = 256)
 *        bytes when available (READ BINARY/RECORD: Ne <= available; others:
 *        Ne == n), else 6Cxx with the right length, and then leaves no trace
 *        (no channel opened, no file selected).  Extended APDUs: 6700.
 */

#include <stdlib.h>
#include <string.h>

#include "card.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* status words */
#define SW_OK                 0x9000
#define SW_EOF_WARNING        0x6282
#define SW_AUTH_FAILED        0x6300
#define SW_WRONG_LENGTH       0x6700
#define SW_CHANNEL_NOT_OPEN   0x6881
#define SW_NO_SM              0x6882
#define SW_NO_CHAINING        0x6884
#define SW_WRONG_STRUCTURE    0x6981
#define SW_SECURITY           0x6982
#define SW_BLOCKED            0x6983
#define SW_CONDITIONS         0x6985
#define SW_NOT_ALLOWED        0x6986
#define SW_WRONG_DATA         0x6a80
#define SW_FUNC_NOT_SUPPORTED 0x6a81
#define SW_FILE_NOT_FOUND     0x6a82
#define SW_RECORD_NOT_FOUND   0x6a83
#define SW_FILE_FULL          0x6a84
#define SW_WRONG_P1P2         0x6a86
#define SW_DATA_NOT_FOUND     0x6a88
#define SW_WRONG_OFFSET       0x6b00
#define SW_BAD_INS            0x6d00
#define SW_BAD_CLA            0x6e00

#define CLA_GSM               0xa0    /* GSM 11.11 (a SIM's class) */

enum file_type
{
    FT_DF,
    FT_TRANSPARENT,
    FT_LINEAR_FIXED,
    FT_LINEAR_VARIABLE,
    FT_CYCLIC,
};

enum access
{
    AC_ALWAYS,
    AC_PIN,     /* PIN 01 verified */
    AC_AUTH,    /* EXTERNAL AUTHENTICATE passed */
};

#define MAX_RECORDS 16

struct file_def
{
    unsigned short fid;
    enum file_type type;
    int parent;                 /* index in layout[] of the parent DF, -1 for the MF */
    unsigned char sfi;          /* 0: none */
    unsigned short size;        /* transparent: bytes; record EF: (maximum) record size */
    unsigned char max_records;
    enum access read_ac, write_ac;
    const char *name;           /* DF name in hex, or NULL */
    /* Initial content: hex bytes; records separated by '|';
     * "seq:XX" fills the whole EF with XX, XX+1, ... (mod 256). */
    const char *content;
};

/* The factory layout; the table in the comment at the top says the same.
 * A DF always comes before its children (the order is depth first). */
static const struct file_def layout[] =
{
    /* fid    type                parent sfi size  recs read       write      name                    content */
    { 0x3f00, FT_DF,              -1,    0,  0,    0,   AC_ALWAYS, AC_ALWAYS, NULL,                   NULL },
    { 0x0001, FT_TRANSPARENT,     0,     1,  16,   0,   AC_ALWAYS, AC_ALWAYS, NULL,                   "seq:00" },
    { 0x0002, FT_TRANSPARENT,     0,     2,  1000, 0,   AC_ALWAYS, AC_ALWAYS, NULL,                   "seq:00" },
    { 0x0003, FT_LINEAR_FIXED,    0,     3,  8,    6,   AC_ALWAYS, AC_ALWAYS, NULL,
      "1011121314151617|2021222324252627|3031323334353637|4041424344454647" },
    { 0x0004, FT_LINEAR_VARIABLE, 0,     4,  32,   8,   AC_ALWAYS, AC_ALWAYS, NULL,                   "4F4E45|54574F|5448524545" },
    { 0x0005, FT_CYCLIC,          0,     5,  4,    3,   AC_ALWAYS, AC_ALWAYS, NULL,                   "C1C1C1C1|C2C2C2C2|C3C3C3C3" },
    { 0x0006, FT_TRANSPARENT,     0,     6,  8,    0,   AC_PIN,    AC_PIN,    NULL,                   "5345435245543031" },
    { 0x0007, FT_TRANSPARENT,     0,     7,  8,    0,   AC_ALWAYS, AC_AUTH,   NULL,                   "0000000000000000" },
    { 0x1000, FT_DF,              0,     0,  0,    0,   AC_ALWAYS, AC_ALWAYS, "F0564341524401",      NULL },
    { 0x1001, FT_TRANSPARENT,     8,     1,  64,   0,   AC_ALWAYS, AC_ALWAYS, NULL,                   "seq:80" },
    { 0x1100, FT_DF,              8,     0,  0,    0,   AC_ALWAYS, AC_ALWAYS, "F0564341524402",      NULL },
    { 0x1101, FT_TRANSPARENT,     10,    1,  8,    0,   AC_ALWAYS, AC_ALWAYS, NULL,                   "1122334455667788" },
};

#define NUM_FILES ARRAY_SIZE(layout)
#define MF 0

static const unsigned char pin_value[] = { 0x31, 0x32, 0x33, 0x34 };
#define PIN_TRIES 3
static const unsigned char auth_key[8] = { 0x56, 0x43, 0x41, 0x52, 0x44, 0x4b, 0x45, 0x59 };

struct do_def
{
    unsigned short tag;
    enum { DO_FREE, DO_PIN, DO_READ_ONLY } put;
    const char *content;
};

static const struct do_def data_objects[] =
{
    { 0x0101, DO_FREE,      "56434431" },
    { 0x0102, DO_PIN,       "00000000" },
    { 0x9f7f, DO_READ_ONLY, "5643415244000100" },   /* last byte: the protocol */
};

#define DO_MAX 32
#define NUM_CHANNELS 4
#define MAX_PENDING 512

struct file_state
{
    unsigned char *data;        /* transparent: size bytes; records: max_records * size */
    unsigned char reclen[MAX_RECORDS];
    unsigned int nrec;
};

struct channel
{
    int open;
    int df;                     /* current DF */
    int ef;                     /* current EF, -1 for none */
    unsigned int record;        /* current record number, 0 for none */
    unsigned char pending[MAX_PENDING];   /* response data left for GET RESPONSE */
    size_t pending_len;
};

struct card
{
    enum card_protocol protocol;
    struct file_state files[NUM_FILES];
    unsigned char do_value[ARRAY_SIZE(data_objects)][DO_MAX];
    size_t do_len[ARRAY_SIZE(data_objects)];
    unsigned int pin_tries;
    int pin_ok, auth_ok;
    unsigned int challenge_count;
    unsigned char challenge[256];
    size_t challenge_len;
    struct channel channels[NUM_CHANNELS];
    unsigned char work[65536];  /* response data being built */
};

/* A command APDU split into its fields. */
struct command
{
    unsigned char cla, ins, p1, p2;
    const unsigned char *data;
    size_t lc;
    int has_le;
    size_t ne;                  /* bytes expected, when has_le */
    int le_max;                 /* Le was encoded as 00 / 0000 */
    int extended;
};

enum data_kind
{
    DATA_EXACT,                 /* an object of a given length */
    DATA_PARTIAL,               /* a stretch of a file the caller may take a part of */
};

struct reply
{
    const unsigned char *data;
    size_t len;
    enum data_kind kind;
};

static int hex_value(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Decodes hex digits up to the end of the string or a '|'; returns the
 * number of bytes written (at most max). */
static size_t parse_hex(const char *hex, unsigned char *out, size_t max)
{
    size_t n = 0;

    while (hex[0] && hex[0] != '|' && hex[1] && n < max)
    {
        out[n++] = (hex_value(hex[0]) << 4) | hex_value(hex[1]);
        hex += 2;
    }
    return n;
}

static int is_df(int f)
{
    return layout[f].type == FT_DF;
}

static int is_record_ef(int f)
{
    return layout[f].type == FT_LINEAR_FIXED || layout[f].type == FT_LINEAR_VARIABLE
            || layout[f].type == FT_CYCLIC;
}

static void load_file(struct card *card, int f)
{
    const struct file_def *def = &layout[f];
    struct file_state *state = &card->files[f];
    const char *p = def->content;
    size_t i;

    if (def->type == FT_DF)
        return;
    if (def->type == FT_TRANSPARENT)
    {
        memset(state->data, 0, def->size);
        if (!strncmp(p, "seq:", 4))
        {
            unsigned char start;
            parse_hex(p + 4, &start, 1);
            for (i = 0; i < def->size; i++)
                state->data[i] = (unsigned char)(start + i);
        }
        else
            parse_hex(p, state->data, def->size);
        return;
    }
    memset(state->data, 0, def->size * def->max_records);
    memset(state->reclen, 0, sizeof(state->reclen));
    state->nrec = 0;
    while (p && *p && state->nrec < def->max_records)
    {
        state->reclen[state->nrec] = parse_hex(p, state->data + state->nrec * def->size, def->size);
        state->nrec++;
        p = strchr(p, '|');
        if (p) p++;
    }
}

static unsigned char *record_data(struct card *card, int f, unsigned int rec)
{
    return card->files[f].data + (rec - 1) * layout[f].size;
}

struct card *card_create(enum card_protocol protocol)
{
    struct card *card;
    size_t f;

    if (!(card = calloc(1, sizeof(*card))))
        return NULL;
    card->protocol = protocol;
    for (f = 0; f < NUM_FILES; f++)
    {
        size_t size = is_record_ef(f) ? (size_t)layout[f].size * layout[f].max_records : layout[f].size;
        if (layout[f].type == FT_DF)
            continue;
        if (!(card->files[f].data = malloc(size)))
        {
            card_destroy(card);
            return NULL;
        }
    }
    card_factory(card);
    return card;
}

void card_destroy(struct card *card)
{
    size_t f;

    if (!card)
        return;
    for (f = 0; f < NUM_FILES; f++)
        free(card->files[f].data);
    free(card);
}

enum card_protocol card_protocol(const struct card *card)
{
    return card->protocol;
}

void card_reset(struct card *card)
{
    int i;

    for (i = 0; i < NUM_CHANNELS; i++)
    {
        struct channel *ch = &card->channels[i];
        ch->open = !i;
        ch->df = MF;
        ch->ef = -1;
        ch->record = 0;
        ch->pending_len = 0;
    }
    card->pin_ok = 0;
    card->auth_ok = 0;
    card->challenge_count = 0;
    card->challenge_len = 0;
}

void card_factory(struct card *card)
{
    size_t f, i;

    for (f = 0; f < NUM_FILES; f++)
        load_file(card, f);
    for (i = 0; i < ARRAY_SIZE(data_objects); i++)
        card->do_len[i] = parse_hex(data_objects[i].content, card->do_value[i], DO_MAX);
    /* 9F7F ends with the protocol */
    card->do_value[2][7] = card->protocol == CARD_T1 ? 0x01 : 0x00;
    card->pin_tries = PIN_TRIES;
    card_reset(card);
}

static int access_ok(const struct card *card, enum access ac)
{
    switch (ac)
    {
    case AC_ALWAYS: return 1;
    case AC_PIN: return card->pin_ok;
    case AC_AUTH: return card->auth_ok;
    }
    return 0;
}

/* A direct child of the DF df with that FID (want: -1 any, 0 EF, 1 DF), or -1. */
static int find_child(int df, unsigned short fid, int want)
{
    size_t f;

    for (f = 0; f < NUM_FILES; f++)
    {
        if (layout[f].parent != df || layout[f].fid != fid)
            continue;
        if (want >= 0 && is_df(f) != want)
            continue;
        return f;
    }
    return -1;
}

static int find_sfi(int df, unsigned char sfi)
{
    size_t f;

    for (f = 0; f < NUM_FILES; f++)
        if (layout[f].parent == df && !is_df(f) && layout[f].sfi == sfi)
            return f;
    return -1;
}

static size_t build_fcp(const struct card *card, int f, unsigned char template, unsigned char *out)
{
    const struct file_def *def = &layout[f];
    unsigned char *p = out + 2;

    switch (def->type)
    {
    case FT_DF:
        *p++ = 0x82; *p++ = 1; *p++ = 0x38;
        *p++ = 0x83; *p++ = 2; *p++ = def->fid >> 8; *p++ = def->fid & 0xff;
        if (def->name)
        {
            size_t len = parse_hex(def->name, p + 2, 16);
            *p++ = 0x84; *p++ = len;
            p += len;
        }
        break;
    case FT_TRANSPARENT:
        *p++ = 0x82; *p++ = 1; *p++ = 0x01;
        *p++ = 0x83; *p++ = 2; *p++ = def->fid >> 8; *p++ = def->fid & 0xff;
        *p++ = 0x80; *p++ = 2; *p++ = def->size >> 8; *p++ = def->size & 0xff;
        break;
    default:
    {
        const struct file_state *state = &card->files[f];
        unsigned int i, total = 0;

        for (i = 0; i < state->nrec; i++)
            total += state->reclen[i];
        *p++ = 0x82; *p++ = 5;
        *p++ = def->type == FT_LINEAR_FIXED ? 0x02 : def->type == FT_LINEAR_VARIABLE ? 0x04 : 0x06;
        *p++ = 0x41; *p++ = 0x00; *p++ = def->size; *p++ = state->nrec;
        *p++ = 0x83; *p++ = 2; *p++ = def->fid >> 8; *p++ = def->fid & 0xff;
        *p++ = 0x80; *p++ = 2; *p++ = total >> 8; *p++ = total & 0xff;
        break;
    }
    }
    out[0] = template;
    out[1] = p - out - 2;
    return p - out;
}

/* Makes f current on the channel. */
static void select_file(struct channel *ch, int f)
{
    if (is_df(f))
    {
        ch->df = f;
        ch->ef = -1;
    }
    else
    {
        ch->df = layout[f].parent;
        ch->ef = f;
    }
    ch->record = 0;
}

/* Follows a path of FIDs from the DF start; -1 if a step is missing. */
static int walk_path(int start, const unsigned char *path, size_t len)
{
    int cur = start;
    size_t i;

    for (i = 0; i < len; i += 2)
    {
        unsigned short fid = (path[i] << 8) | path[i + 1];
        if (!is_df(cur))
            return -1;
        if ((cur = find_child(cur, fid, -1)) < 0)
            return -1;
    }
    return cur;
}

/* Depth-first search for a DF whose name starts with the given bytes,
 * beginning after the file index "after". */
static int find_df_name(const unsigned char *name, size_t len, int after)
{
    unsigned char buf[16];
    size_t f, n;

    for (f = after + 1; f < NUM_FILES; f++)
    {
        if (!is_df(f) || !layout[f].name)
            continue;
        n = parse_hex(layout[f].name, buf, sizeof(buf));
        if (len <= n && !memcmp(buf, name, len))
            return f;
    }
    return -1;
}

static unsigned short cmd_select(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    int answer = (c->p2 >> 2) & 3, occurrence = c->p2 & 3;
    int f = -1;

    if (c->p2 & 0xf0 || answer == 2)
        return SW_WRONG_P1P2;
    if (occurrence && (c->p1 != 0x04 || occurrence != 2))
        return SW_WRONG_P1P2;

    switch (c->p1)
    {
    case 0x00:
    {
        unsigned short fid;
        int parent = layout[ch->df].parent;

        if (!c->lc)
        {
            f = MF;
            break;
        }
        if (c->lc != 2)
            return SW_WRONG_LENGTH;
        fid = (c->data[0] << 8) | c->data[1];
        if (fid == 0x3f00)
            f = MF;
        else if ((f = find_child(ch->df, fid, -1)) >= 0)
            ;
        else if (layout[ch->df].fid == fid)
            f = ch->df;
        else if (parent >= 0 && layout[parent].fid == fid)
            f = parent;
        else if (parent >= 0)
            f = find_child(parent, fid, -1);
        break;
    }
    case 0x01:
    case 0x02:
        if (c->lc != 2)
            return SW_WRONG_LENGTH;
        f = find_child(ch->df, (c->data[0] << 8) | c->data[1], c->p1 == 0x01);
        break;
    case 0x03:
        if (c->lc)
            return SW_WRONG_LENGTH;
        f = layout[ch->df].parent;
        break;
    case 0x04:
        if (!c->lc || c->lc > 16)
            return SW_WRONG_LENGTH;
        f = find_df_name(c->data, c->lc, occurrence == 2 ? ch->df : -1);
        break;
    case 0x08:
    case 0x09:
    {
        const unsigned char *path = c->data;
        size_t len = c->lc;

        if (!len || len % 2 || len > 16)
            return SW_WRONG_LENGTH;
        if (c->p1 == 0x08 && path[0] == 0x3f && path[1] == 0x00)
        {
            path += 2;
            len -= 2;
        }
        f = walk_path(c->p1 == 0x08 ? MF : ch->df, path, len);
        break;
    }
    default:
        return SW_WRONG_P1P2;
    }
    if (f < 0)
        return SW_FILE_NOT_FOUND;

    select_file(ch, f);
    if (answer != 3)
    {
        r->len = build_fcp(card, f, answer ? 0x62 : 0x6f, card->work);
        r->data = card->work;
        r->kind = DATA_EXACT;
    }
    return SW_OK;
}

/* An EF addressed by SFI becomes the current EF when the command succeeds. */
static void make_current(struct channel *ch, int f)
{
    if (ch->ef != f)
    {
        ch->ef = f;
        ch->record = 0;
    }
}

/* The transparent EF and offset addressed by P1 P2 (SFI in P1 when b8 is set). */
static unsigned short binary_target(struct channel *ch, const struct command *c, int *ef, size_t *offset)
{
    int f;

    if (c->p1 & 0x80)
    {
        unsigned char sfi = c->p1 & 0x1f;

        if (c->p1 & 0x60 || !sfi || sfi == 0x1f)
            return SW_WRONG_P1P2;
        if ((f = find_sfi(ch->df, sfi)) < 0)
            return SW_FILE_NOT_FOUND;
        *offset = c->p2;
    }
    else
    {
        if ((f = ch->ef) < 0)
            return SW_NOT_ALLOWED;
        *offset = (c->p1 << 8) | c->p2;
    }
    if (layout[f].type != FT_TRANSPARENT)
        return SW_WRONG_STRUCTURE;
    *ef = f;
    return SW_OK;
}

static unsigned short cmd_read_binary(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned short sw;
    size_t offset;
    int f;

    if (c->lc || !c->has_le)
        return SW_WRONG_LENGTH;
    if ((sw = binary_target(ch, c, &f, &offset)) != SW_OK)
        return sw;
    if (!access_ok(card, layout[f].read_ac))
        return SW_SECURITY;
    if (offset >= layout[f].size)
        return SW_WRONG_OFFSET;
    make_current(ch, f);
    r->data = card->files[f].data + offset;
    r->len = layout[f].size - offset;
    r->kind = DATA_PARTIAL;
    return SW_OK;
}

/* UPDATE BINARY, WRITE BINARY (OR) */
static unsigned short cmd_update_binary(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned short sw;
    size_t offset, i;
    unsigned char *data;
    int f;

    (void)r;
    if (!c->lc)
        return SW_WRONG_LENGTH;
    if ((sw = binary_target(ch, c, &f, &offset)) != SW_OK)
        return sw;
    if (!access_ok(card, layout[f].write_ac))
        return SW_SECURITY;
    if (offset >= layout[f].size)
        return SW_WRONG_OFFSET;
    if (offset + c->lc > layout[f].size)
        return SW_FILE_FULL;
    data = card->files[f].data + offset;
    for (i = 0; i < c->lc; i++)
        data[i] = c->ins == 0xd0 ? data[i] | c->data[i] : c->data[i];
    make_current(ch, f);
    return SW_OK;
}

static unsigned short cmd_erase_binary(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned short sw;
    size_t offset, end;
    int f;

    (void)r;
    if (c->lc != 0 && c->lc != 2)
        return SW_WRONG_LENGTH;
    if ((sw = binary_target(ch, c, &f, &offset)) != SW_OK)
        return sw;
    if (!access_ok(card, layout[f].write_ac))
        return SW_SECURITY;
    if (offset >= layout[f].size)
        return SW_WRONG_OFFSET;
    end = c->lc ? (size_t)((c->data[0] << 8) | c->data[1]) : layout[f].size;
    if (end < offset || end > layout[f].size)
        return SW_WRONG_DATA;
    memset(card->files[f].data + offset, 0, end - offset);
    make_current(ch, f);
    return SW_OK;
}

/* The record EF addressed by P2 (SFI in b8-b4, 0: the current EF). */
static unsigned short record_target(struct channel *ch, const struct command *c, int *ef)
{
    unsigned char sfi = c->p2 >> 3;
    int f;

    if (sfi == 0x1f)
        return SW_WRONG_P1P2;
    if (sfi)
    {
        if ((f = find_sfi(ch->df, sfi)) < 0)
            return SW_FILE_NOT_FOUND;
    }
    else if ((f = ch->ef) < 0)
        return SW_NOT_ALLOWED;
    if (!is_record_ef(f))
        return SW_WRONG_STRUCTURE;
    *ef = f;
    return SW_OK;
}

/* P1 as a record number (00: the current record, none if f is not the current EF). */
static unsigned short record_number(struct card *card, struct channel *ch, const struct command *c, int f,
        unsigned int *rec)
{
    unsigned int n = c->p1 ? c->p1 : ch->ef == f ? ch->record : 0;

    if (!n || n > card->files[f].nrec)
        return SW_RECORD_NOT_FOUND;
    *rec = n;
    return SW_OK;
}

static unsigned short cmd_read_record(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned int mode = c->p2 & 7, rec, first, last, i;
    struct file_state *state;
    unsigned short sw;
    size_t len = 0;
    int f;

    if (c->lc || !c->has_le)
        return SW_WRONG_LENGTH;
    if (mode < 4)
        return SW_FUNC_NOT_SUPPORTED;
    if (mode == 7 || (mode != 4 && !c->p1))
        return SW_WRONG_P1P2;
    if ((sw = record_target(ch, c, &f)) != SW_OK)
        return sw;
    if (!access_ok(card, layout[f].read_ac))
        return SW_SECURITY;
    if ((sw = record_number(card, ch, c, f, &rec)) != SW_OK)
        return sw;
    state = &card->files[f];

    /* mode 4: record P1; 5: P1 up to the last; 6: the last down to P1 */
    first = mode == 6 ? state->nrec : rec;
    last = mode == 4 ? rec : mode == 5 ? state->nrec : rec;
    for (i = first;; i = first <= last ? i + 1 : i - 1)
    {
        memcpy(card->work + len, record_data(card, f, i), state->reclen[i - 1]);
        len += state->reclen[i - 1];
        if (i == last)
            break;
    }
    make_current(ch, f);
    ch->record = mode == 5 ? state->nrec : rec;
    r->data = card->work;
    r->len = len;
    r->kind = DATA_PARTIAL;
    return SW_OK;
}

/* UPDATE RECORD, WRITE RECORD (OR) */
static unsigned short cmd_update_record(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned int mode = c->p2 & 7, rec, i;
    struct file_state *state;
    unsigned short sw;
    unsigned char *data;
    int f;

    (void)r;
    if (!c->lc)
        return SW_WRONG_LENGTH;
    if (mode < 4)
        return SW_FUNC_NOT_SUPPORTED;
    if (mode != 4)
        return SW_WRONG_P1P2;
    if ((sw = record_target(ch, c, &f)) != SW_OK)
        return sw;
    if (!access_ok(card, layout[f].write_ac))
        return SW_SECURITY;
    if ((sw = record_number(card, ch, c, f, &rec)) != SW_OK)
        return sw;
    state = &card->files[f];
    data = record_data(card, f, rec);

    if (c->ins == 0xd2)
    {
        if (c->lc != state->reclen[rec - 1])
            return SW_WRONG_LENGTH;
        for (i = 0; i < c->lc; i++)
            data[i] |= c->data[i];
    }
    else
    {
        if (layout[f].type == FT_LINEAR_VARIABLE ? c->lc > layout[f].size : c->lc != layout[f].size)
            return SW_WRONG_LENGTH;
        memset(data, 0, layout[f].size);
        memcpy(data, c->data, c->lc);
        state->reclen[rec - 1] = c->lc;
    }
    make_current(ch, f);
    ch->record = rec;
    return SW_OK;
}

static unsigned short cmd_append_record(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    const struct file_def *def;
    struct file_state *state;
    unsigned short sw;
    unsigned int i;
    int f;

    (void)r;
    if (!c->lc)
        return SW_WRONG_LENGTH;
    if (c->p1 || c->p2 & 7)
        return SW_WRONG_P1P2;
    if ((sw = record_target(ch, c, &f)) != SW_OK)
        return sw;
    if (!access_ok(card, layout[f].write_ac))
        return SW_SECURITY;
    def = &layout[f];
    state = &card->files[f];
    if (def->type == FT_LINEAR_VARIABLE ? c->lc > def->size : c->lc != def->size)
        return SW_WRONG_LENGTH;

    if (def->type == FT_CYCLIC)
    {
        /* the oldest record (the last one) falls off when the EF is full */
        unsigned int keep = state->nrec < def->max_records ? state->nrec : def->max_records - 1u;
        for (i = keep; i >= 1; i--)
        {
            memcpy(record_data(card, f, i + 1), record_data(card, f, i), def->size);
            state->reclen[i] = state->reclen[i - 1];
        }
        state->nrec = keep + 1;
        memcpy(record_data(card, f, 1), c->data, c->lc);
        state->reclen[0] = c->lc;
        make_current(ch, f);
        ch->record = 1;
        return SW_OK;
    }
    if (state->nrec >= def->max_records)
        return SW_FILE_FULL;
    state->nrec++;
    memset(record_data(card, f, state->nrec), 0, def->size);
    memcpy(record_data(card, f, state->nrec), c->data, c->lc);
    state->reclen[state->nrec - 1] = c->lc;
    make_current(ch, f);
    ch->record = state->nrec;
    return SW_OK;
}

static unsigned short cmd_verify(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    (void)ch; (void)r;
    if (c->p1 != 0x00 && c->p1 != 0xff)
        return SW_WRONG_P1P2;
    if (c->p2 != 0x01)
        return SW_DATA_NOT_FOUND;
    if (c->p1 == 0xff)
    {
        /* reset of the verification status */
        if (c->lc)
            return SW_WRONG_LENGTH;
        card->pin_ok = 0;
        return SW_OK;
    }
    if (!card->pin_tries)
        return SW_BLOCKED;
    if (!c->lc)
        return card->pin_ok ? SW_OK : 0x63c0 | card->pin_tries;
    if (c->lc == sizeof(pin_value) && !memcmp(c->data, pin_value, sizeof(pin_value)))
    {
        card->pin_tries = PIN_TRIES;
        card->pin_ok = 1;
        return SW_OK;
    }
    card->pin_ok = 0;
    card->pin_tries--;
    return 0x63c0 | card->pin_tries;
}

static unsigned short cmd_get_challenge(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    size_t k;

    (void)ch;
    if (c->p1 || c->p2)
        return SW_WRONG_P1P2;
    if (c->lc || !c->has_le || c->ne > sizeof(card->challenge))
        return SW_WRONG_LENGTH;
    card->challenge_count++;
    for (k = 0; k < c->ne; k++)
        card->challenge[k] = (unsigned char)(card->challenge_count * 0x11 + k);
    card->challenge_len = c->ne;
    r->data = card->challenge;
    r->len = c->ne;
    r->kind = DATA_EXACT;
    return SW_OK;
}

static void auth_function(const unsigned char *in, size_t len, unsigned char *out)
{
    size_t i;

    for (i = 0; i < len; i++)
    {
        unsigned char x = in[i] ^ auth_key[i % sizeof(auth_key)];
        out[i] = (unsigned char)((x << 1) | (x >> 7));
    }
}

static unsigned short cmd_internal_authenticate(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    (void)ch;
    if (c->p1)
        return SW_WRONG_P1P2;
    if (c->p2 > 0x01)
        return SW_DATA_NOT_FOUND;
    if (!c->lc || c->lc > 256)
        return SW_WRONG_LENGTH;
    auth_function(c->data, c->lc, card->work);
    r->data = card->work;
    r->len = c->lc;
    r->kind = DATA_EXACT;
    return SW_OK;
}

static unsigned short cmd_external_authenticate(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned char expected[256];
    size_t len = card->challenge_len;

    (void)ch; (void)r;
    if (c->p1)
        return SW_WRONG_P1P2;
    if (c->p2 > 0x01)
        return SW_DATA_NOT_FOUND;
    if (!c->lc)
        return SW_WRONG_LENGTH;
    if (!len)
        return SW_CONDITIONS;
    card->challenge_len = 0;   /* one attempt per challenge */
    auth_function(card->challenge, len, expected);
    card->auth_ok = c->lc == len && !memcmp(c->data, expected, len);
    return card->auth_ok ? SW_OK : SW_AUTH_FAILED;
}

static int find_data_object(const struct command *c)
{
    unsigned short tag = (c->p1 << 8) | c->p2;
    size_t i;

    for (i = 0; i < ARRAY_SIZE(data_objects); i++)
        if (data_objects[i].tag == tag)
            return i;
    return -1;
}

static unsigned short cmd_get_data(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    int i;

    (void)ch;
    if (c->lc || !c->has_le)
        return SW_WRONG_LENGTH;
    if ((i = find_data_object(c)) < 0)
        return SW_DATA_NOT_FOUND;
    r->data = card->do_value[i];
    r->len = card->do_len[i];
    r->kind = DATA_EXACT;
    return SW_OK;
}

static unsigned short cmd_put_data(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    int i;

    (void)ch; (void)r;
    if (!c->lc)
        return SW_WRONG_LENGTH;
    if ((i = find_data_object(c)) < 0)
        return SW_DATA_NOT_FOUND;
    if (data_objects[i].put == DO_READ_ONLY)
        return SW_NOT_ALLOWED;
    if (data_objects[i].put == DO_PIN && !card->pin_ok)
        return SW_SECURITY;
    if (c->lc > DO_MAX)
        return SW_WRONG_LENGTH;
    memcpy(card->do_value[i], c->data, c->lc);
    card->do_len[i] = c->lc;
    return SW_OK;
}

static unsigned short cmd_manage_channel(struct card *card, struct channel *ch, const struct command *c,
        struct reply *r)
{
    unsigned int n = c->p2;

    (void)ch;
    if (c->lc)
        return SW_WRONG_LENGTH;
    if (c->p1 == 0x00)
    {
        if (n >= NUM_CHANNELS)
            return SW_WRONG_P1P2;
        if (!n)
        {
            for (n = 1; n < NUM_CHANNELS; n++)
                if (!card->channels[n].open)
                    break;
            if (n == NUM_CHANNELS)
                return SW_FUNC_NOT_SUPPORTED;
        }
        else if (card->channels[n].open)
            return SW_CONDITIONS;
        card->channels[n].open = 1;
        card->channels[n].df = MF;
        card->channels[n].ef = -1;
        card->channels[n].record = 0;
        card->channels[n].pending_len = 0;
        if (!c->p2)
        {
            card->work[0] = n;
            r->data = card->work;
            r->len = 1;
            r->kind = DATA_EXACT;
        }
        return SW_OK;
    }
    if (c->p1 == 0x80)
    {
        if (!n || n >= NUM_CHANNELS)
            return SW_WRONG_P1P2;
        if (!card->channels[n].open)
            return SW_CONDITIONS;
        card->channels[n].open = 0;
        card->channels[n].pending_len = 0;
        return SW_OK;
    }
    return SW_WRONG_P1P2;
}

/* Writes data + SW to out; returns the length. */
static size_t put_response(unsigned char *out, const unsigned char *data, size_t len, unsigned short sw)
{
    if (len)
        memmove(out, data, len);
    out[len] = sw >> 8;
    out[len + 1] = sw & 0xff;
    return len + 2;
}

/* 61xx / 6Cxx with a length of up to 256 (256 is xx = 00). */
static unsigned short sw_with_length(unsigned char sw1, size_t len)
{
    return (sw1 << 8) | (len >= 256 ? 0 : len);
}

static void set_pending(struct channel *ch, const unsigned char *data, size_t len)
{
    if (len > MAX_PENDING)
        len = MAX_PENDING;
    memmove(ch->pending, data, len);
    ch->pending_len = len;
}

static size_t get_response(struct card *card, struct channel *ch, const struct command *c, unsigned char *out)
{
    size_t n, left;

    if (c->p1 || c->p2)
        return put_response(out, NULL, 0, SW_WRONG_P1P2);
    if (c->lc || !c->has_le)
        return put_response(out, NULL, 0, SW_WRONG_LENGTH);
    if (!ch->pending_len)
        return put_response(out, NULL, 0, SW_CONDITIONS);

    n = c->ne;
    if (n > ch->pending_len)
    {
        if (card->protocol == CARD_T0)
            return put_response(out, NULL, 0, sw_with_length(0x6c, ch->pending_len));
        n = ch->pending_len;
    }
    left = ch->pending_len - n;
    memcpy(out, ch->pending, n);
    memmove(ch->pending, ch->pending + n, left);
    ch->pending_len = left;
    return put_response(out, out, n, left ? sw_with_length(0x61, left) : SW_OK);
}

/* Applies the protocol's response length rules to what a command produced. */
static size_t finish(struct card *card, struct channel *ch, const struct command *c, unsigned short sw,
        const struct reply *r, unsigned char *out)
{
    size_t n = r->len;

    if (sw != SW_OK || !n)
        return put_response(out, NULL, 0, sw);

    if (c->cla == CLA_GSM && c->lc)
    {
        /* GSM 11.11: 9F xx, the data waits for GET RESPONSE (both personalities) */
        set_pending(ch, r->data, n);
        return put_response(out, NULL, 0, sw_with_length(0x9f, n));
    }
    if (card->protocol == CARD_T0)
    {
        if (c->lc)
        {
            /* case 4 under T=0: the data waits for GET RESPONSE */
            set_pending(ch, r->data, n);
            return put_response(out, NULL, 0, sw_with_length(0x61, n));
        }
        if (!c->has_le)
            return put_response(out, NULL, 0, SW_OK);
        if (r->kind == DATA_PARTIAL ? c->ne <= n : c->ne == n)
            return put_response(out, r->data, c->ne, SW_OK);
        return put_response(out, NULL, 0, sw_with_length(0x6c, n));
    }

    if (!c->has_le)
        return put_response(out, NULL, 0, SW_OK);
    if (r->kind == DATA_PARTIAL)
    {
        if (n >= c->ne)
            return put_response(out, r->data, c->ne, SW_OK);
        return put_response(out, r->data, n, c->le_max ? SW_OK : SW_EOF_WARNING);
    }
    if (n <= c->ne)
        return put_response(out, r->data, n, SW_OK);
    set_pending(ch, r->data + c->ne, n - c->ne);
    return put_response(out, r->data, c->ne, sw_with_length(0x61, n - c->ne));
}

static int parse_command(const unsigned char *b, size_t len, struct command *c)
{
    memset(c, 0, sizeof(*c));
    if (len < 4)
        return 0;
    c->cla = b[0];
    c->ins = b[1];
    c->p1 = b[2];
    c->p2 = b[3];
    if (len == 4)
        return 1;
    if (len == 5)
    {
        c->has_le = 1;
        c->ne = b[4] ? b[4] : 256;
        c->le_max = !b[4];
        return 1;
    }
    if (b[4])
    {
        c->lc = b[4];
        c->data = b + 5;
        if (len == 5 + c->lc)
            return 1;
        if (len != 6 + c->lc)
            return 0;
        c->has_le = 1;
        c->ne = b[len - 1] ? b[len - 1] : 256;
        c->le_max = !b[len - 1];
        return 1;
    }
    /* extended length */
    if (len < 7)
        return 0;
    c->extended = 1;
    if (len == 7)
    {
        c->has_le = 1;
        c->ne = (b[5] << 8) | b[6];
        c->le_max = !c->ne;
        if (!c->ne) c->ne = 65536;
        return 1;
    }
    c->lc = (b[5] << 8) | b[6];
    c->data = b + 7;
    if (!c->lc)
        return 0;
    if (len == 7 + c->lc)
        return 1;
    if (len != 9 + c->lc)
        return 0;
    c->has_le = 1;
    c->ne = (b[len - 2] << 8) | b[len - 1];
    c->le_max = !c->ne;
    if (!c->ne) c->ne = 65536;
    return 1;
}

/* What a command without data can change: where the channels are. */
struct channel_position
{
    int open, df, ef;
    unsigned int record;
};

static void save_positions(const struct card *card, struct channel_position *saved)
{
    int i;

    for (i = 0; i < NUM_CHANNELS; i++)
    {
        saved[i].open = card->channels[i].open;
        saved[i].df = card->channels[i].df;
        saved[i].ef = card->channels[i].ef;
        saved[i].record = card->channels[i].record;
    }
}

static void restore_positions(struct card *card, const struct channel_position *saved)
{
    int i;

    for (i = 0; i < NUM_CHANNELS; i++)
    {
        card->channels[i].open = saved[i].open;
        card->channels[i].df = saved[i].df;
        card->channels[i].ef = saved[i].ef;
        card->channels[i].record = saved[i].record;
    }
}

typedef unsigned short (*command_handler)(struct card *, struct channel *, const struct command *, struct reply *);

static const struct
{
    unsigned char ins;
    command_handler handler;
}
commands[] =
{
    { 0xa4, cmd_select },
    { 0xb0, cmd_read_binary },
    { 0xd6, cmd_update_binary },
    { 0xd0, cmd_update_binary },
    { 0x0e, cmd_erase_binary },
    { 0xb2, cmd_read_record },
    { 0xdc, cmd_update_record },
    { 0xd2, cmd_update_record },
    { 0xe2, cmd_append_record },
    { 0x20, cmd_verify },
    { 0x84, cmd_get_challenge },
    { 0x88, cmd_internal_authenticate },
    { 0x82, cmd_external_authenticate },
    { 0xca, cmd_get_data },
    { 0xda, cmd_put_data },
    { 0x70, cmd_manage_channel },
};

size_t card_process(struct card *card, const unsigned char *apdu, size_t len, unsigned char *out)
{
    struct reply reply = { NULL, 0, DATA_EXACT };
    struct command c;
    struct channel *ch;
    unsigned short sw;
    size_t i;

    if (!parse_command(apdu, len, &c))
        return put_response(out, NULL, 0, SW_WRONG_LENGTH);

    /* class byte: only the first interindustry range, channels 0-3, and
     * GSM 11.11's A0 (the basic channel) */
    if (c.cla != CLA_GSM && (c.cla & 0x80 || (c.cla & 0xe0) == 0x20))
        return put_response(out, NULL, 0, SW_BAD_CLA);
    if (c.cla & 0x40)
        return put_response(out, NULL, 0, SW_CHANNEL_NOT_OPEN);
    if (c.cla & 0x0c)
        return put_response(out, NULL, 0, SW_NO_SM);
    if (c.cla & 0x10)
        return put_response(out, NULL, 0, SW_NO_CHAINING);
    ch = &card->channels[c.cla & 3];
    if (!ch->open)
        return put_response(out, NULL, 0, SW_CHANNEL_NOT_OPEN);

    if (c.extended && card->protocol == CARD_T0)
    {
        ch->pending_len = 0;
        return put_response(out, NULL, 0, SW_WRONG_LENGTH);
    }

    if (c.ins == 0xc0)
        return get_response(card, ch, &c, out);
    ch->pending_len = 0;

    for (i = 0; i < ARRAY_SIZE(commands); i++)
    {
        struct channel_position saved[NUM_CHANNELS];
        size_t n;

        if (commands[i].ins != c.ins)
            continue;
        save_positions(card, saved);
        sw = commands[i].handler(card, ch, &c, &reply);
        n = finish(card, ch, &c, sw, &reply, out);
        /* T=0 6Cxx: the command is to be sent again with the right Le, so
         * it leaves no trace (no channel opened, no file selected) */
        if (out[n - 2] == 0x6c)
            restore_positions(card, saved);
        return n;
    }
    return put_response(out, NULL, 0, SW_BAD_INS);
}
