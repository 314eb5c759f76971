/*
 * Virtual ISO 7816-4 card for vpcd: transport, fault injection, options
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
 * The card is a TCP client of vpcd (the virtual reader driver of pcscd).
 * Each message, both ways, is a 2-byte big-endian length and a payload; a
 * 1-byte payload from vpcd is a control (0 power off, 1 power on, 2 reset,
 * 4 get ATR), anything longer a command APDU; the card answers the ATR
 * request with the ATR and an APDU with the response APDU, and nothing
 * else.
 *
 * Fault injection: with --control PATH the card listens on a Unix stream
 * socket; each text line is one command, answered with one line ("ok..."
 * or "error: ...") once it has taken effect.  See usage() and README.md.
 *
 * Usage: vcard [options]            run the card
 *        vcard ctl PATH COMMAND...  send one command to a running card
 */

#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "card.h"

#define MAX_CLIENTS 8
#define LINE_MAX_LEN 256
#define RETRY_MS 100          /* between connection attempts to vpcd */
#define MALFORMED_EXTRA 300   /* bytes added by "malformed long" */

/* default ATRs: historical bytes 80 (compact TLV follows), 55 "VCARD"
 * (card issuer's data), 61 pp (pre-issuing data: the protocol) */
static const unsigned char atr_t0[] =
{
    0x3b, 0x89, 0x00, 0x80, 0x55, 0x56, 0x43, 0x41, 0x52, 0x44, 0x61, 0x00,
};
static const unsigned char atr_t1[] =
{
    0x3b, 0x89, 0x01, 0x80, 0x55, 0x56, 0x43, 0x41, 0x52, 0x44, 0x61, 0x01, 0x00 /* TCK, computed */,
};

enum malformed
{
    MALFORMED_NONE,
    MALFORMED_EMPTY,
    MALFORMED_ONE,
    MALFORMED_LONG,
};

struct client
{
    int fd;
    char line[LINE_MAX_LEN];
    size_t len;
};

static struct
{
    /* options */
    const char *host;
    unsigned short port;
    const char *control_path;
    int verbose;
    unsigned int reconnect_ms;

    struct card *card;
    unsigned char atr[33];
    size_t atr_len;

    /* the connection to vpcd */
    int sock;
    int inserted;               /* wants to be connected */
    long long connect_at;       /* next connection attempt (ms), when inserted and not connected */
    unsigned char in[2 + 65536 + 16];
    size_t in_len;
    int powered;

    /* a reply held back by "slow" */
    unsigned char *held;
    size_t held_len;
    long long held_until;

    /* faults */
    int muted;
    unsigned int slow_ms;
    enum malformed malformed;

    /* counters, for "status" */
    unsigned long apdus, swallowed, atr_requests, connects;

    int listen_fd;
    struct client clients[MAX_CLIENTS];
} vc;

static volatile sig_atomic_t quit;

static void on_signal(int sig)
{
    (void)sig;
    quit = 1;
}

static void say(const char *fmt, ...)
{
    va_list args;

    fprintf(stderr, "vcard[%d]: ", (int)getpid());
    va_start(args, fmt);
    vfprintf(stderr, fmt, args);
    va_end(args);
    fputc('\n', stderr);
}

static long long now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void dump(const char *what, const unsigned char *data, size_t len)
{
    size_t i;

    if (!vc.verbose)
        return;
    fprintf(stderr, "vcard[%d]: %s", (int)getpid(), what);
    for (i = 0; i < len && i < 64; i++)
        fprintf(stderr, " %02X", data[i]);
    if (len > 64)
        fprintf(stderr, " ... (%zu bytes)", len);
    fputc('\n', stderr);
}

static int parse_hex_string(const char *s, unsigned char *out, size_t max)
{
    size_t n = 0;
    int hi = -1;

    for (; *s; s++)
    {
        int v;

        if (*s == ' ' || *s == ':')
            continue;
        if (*s >= '0' && *s <= '9') v = *s - '0';
        else if (*s >= 'a' && *s <= 'f') v = *s - 'a' + 10;
        else if (*s >= 'A' && *s <= 'F') v = *s - 'A' + 10;
        else return -1;
        if (hi < 0)
            hi = v;
        else
        {
            if (n == max)
                return -1;
            out[n++] = (hi << 4) | v;
            hi = -1;
        }
    }
    return hi < 0 ? (int)n : -1;
}

static void set_default_atr(enum card_protocol protocol)
{
    size_t i;

    if (protocol == CARD_T0)
    {
        memcpy(vc.atr, atr_t0, sizeof(atr_t0));
        vc.atr_len = sizeof(atr_t0);
        return;
    }
    memcpy(vc.atr, atr_t1, sizeof(atr_t1));
    vc.atr_len = sizeof(atr_t1);
    /* TCK: the XOR of T0 up to the last historical byte */
    vc.atr[vc.atr_len - 1] = 0;
    for (i = 1; i < vc.atr_len - 1; i++)
        vc.atr[vc.atr_len - 1] ^= vc.atr[i];
}

/* The connection to vpcd */

static void quickack(void)
{
    int one = 1;

    setsockopt(vc.sock, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
}

static int vpcd_connect(void)
{
    struct addrinfo hints, *res, *ai;
    char port[8];
    int one = 1, err, fd = -1;

    memset(&hints, 0, sizeof(hints));
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICSERV;
    snprintf(port, sizeof(port), "%u", vc.port);
    if ((err = getaddrinfo(vc.host, port, &hints, &res)))
    {
        say("cannot resolve %s: %s", vc.host, gai_strerror(err));
        return -1;
    }
    for (ai = res; ai; ai = ai->ai_next)
    {
        if ((fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol)) < 0)
            continue;
        if (!connect(fd, ai->ai_addr, ai->ai_addrlen))
            break;
        err = errno;
        close(fd);
        fd = -1;
        errno = err;
    }
    freeaddrinfo(res);
    if (fd < 0)
        return -1;

    /* vpcd sends the length and the APDU in two writes: without these a
     * delayed ACK costs tens of milliseconds per APDU */
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    setsockopt(fd, IPPROTO_TCP, TCP_QUICKACK, &one, sizeof(one));
    vc.sock = fd;
    vc.in_len = 0;
    vc.connects++;
    say("connected to vpcd at %s:%u", vc.host, vc.port);
    return 0;
}

/* The card leaves the reader: power is lost, state as after a reset. */
static void vpcd_disconnect(const char *why)
{
    if (vc.sock < 0)
        return;
    close(vc.sock);
    vc.sock = -1;
    vc.in_len = 0;
    vc.powered = 0;
    free(vc.held);
    vc.held = NULL;
    card_reset(vc.card);
    if (vc.inserted)
        vc.connect_at = now_ms() + vc.reconnect_ms;
    say("disconnected from vpcd (%s)", why);
}

static int send_frame(const unsigned char *payload, size_t len)
{
    unsigned char *buf;
    size_t done = 0;

    if (vc.sock < 0)
        return -1;
    if (!(buf = malloc(len + 2)))
        return -1;
    /* one write for length and payload: one segment on the wire */
    buf[0] = len >> 8;
    buf[1] = len & 0xff;
    if (len)
        memcpy(buf + 2, payload, len);
    while (done < len + 2)
    {
        ssize_t r = send(vc.sock, buf + done, len + 2 - done, MSG_NOSIGNAL);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
        {
            free(buf);
            vpcd_disconnect("send failed");
            return -1;
        }
        done += r;
    }
    free(buf);
    return 0;
}

static void handle_control(unsigned char ctrl)
{
    switch (ctrl)
    {
    case 0:
        if (vc.verbose) say("power off");
        vc.powered = 0;
        card_reset(vc.card);
        break;
    case 1:
        if (vc.verbose) say("power on");
        vc.powered = 1;
        card_reset(vc.card);
        break;
    case 2:
        if (vc.verbose) say("reset");
        vc.powered = 1;
        card_reset(vc.card);
        break;
    case 4:
        vc.atr_requests++;
        send_frame(vc.atr, vc.atr_len);
        break;
    default:
        say("unknown control byte %02x ignored", ctrl);
        break;
    }
}

static void handle_apdu(const unsigned char *apdu, size_t len)
{
    static unsigned char out[CARD_MAX_RESPONSE + MALFORMED_EXTRA];
    size_t n;

    vc.apdus++;
    dump("C:", apdu, len);
    if (vc.muted)
    {
        vc.swallowed++;
        if (vc.verbose) say("muted: no answer");
        return;
    }
    n = card_process(vc.card, apdu, len, out);

    switch (vc.malformed)
    {
    case MALFORMED_NONE:
        break;
    case MALFORMED_EMPTY:
        n = 0;
        break;
    case MALFORMED_ONE:
        n = 1;
        break;
    case MALFORMED_LONG:
        /* the data, 300 bytes EE the caller never asked for, the SW */
        memmove(out + n - 2 + MALFORMED_EXTRA, out + n - 2, 2);
        memset(out + n - 2, 0xee, MALFORMED_EXTRA);
        n += MALFORMED_EXTRA;
        break;
    }
    vc.malformed = MALFORMED_NONE;
    dump("R:", out, n);

    if (!n)
    {
        /* vpcd 0.8 reads an empty answer with recv(..., 0, MSG_WAITALL),
         * which returns only when the connection ends: hang up, as a card
         * that falls silent would, so that the caller gets its (empty)
         * answer now; the card comes back after the reconnect delay */
        send_frame(out, 0);
        vpcd_disconnect("malformed empty answer sent");
        return;
    }
    if (vc.slow_ms)
    {
        if (!(vc.held = malloc(n)))
            return;
        memcpy(vc.held, out, n);
        vc.held_len = n;
        vc.held_until = now_ms() + vc.slow_ms;
        return;
    }
    send_frame(out, n);
}

/* Handles the complete messages in the input buffer; stops while a
 * reply is held back, so that answers keep their order. */
static void handle_input(void)
{
    size_t off = 0;

    while (!vc.held && vc.sock >= 0 && vc.in_len - off >= 2)
    {
        size_t len = (vc.in[off] << 8) | vc.in[off + 1];
        const unsigned char *payload = vc.in + off + 2;

        if (vc.in_len - off < len + 2)
            break;
        off += len + 2;
        if (len == 1)
            handle_control(payload[0]);
        else if (len)
            handle_apdu(payload, len);
    }
    if (vc.sock >= 0 && off)
    {
        memmove(vc.in, vc.in + off, vc.in_len - off);
        vc.in_len -= off;
    }
}

static void vpcd_read(void)
{
    ssize_t r = recv(vc.sock, vc.in + vc.in_len, sizeof(vc.in) - vc.in_len, 0);

    if (r < 0 && (errno == EINTR || errno == EAGAIN))
        return;
    if (r <= 0)
    {
        vpcd_disconnect(r ? strerror(errno) : "closed by vpcd");
        return;
    }
    quickack();
    vc.in_len += r;
    handle_input();
}

/* The control socket */

static void client_reply(struct client *client, const char *answer)
{
    char buf[LINE_MAX_LEN + 1];
    int len = snprintf(buf, sizeof(buf), "%s\n", answer);

    if (len >= (int)sizeof(buf))
    {
        len = sizeof(buf) - 1;
        buf[len - 1] = '\n';
    }
    if (send(client->fd, buf, len, MSG_NOSIGNAL) < 0)
        say("control reply failed: %s", strerror(errno));
}

/* Carries out one control command; writes the answer line (without '\n'). */
static void control_command(char *line, char *answer, size_t size)
{
    char *cmd, *arg, *save;

    snprintf(answer, size, "ok");
    if (!(cmd = strtok_r(line, " \t\r", &save)))
    {
        snprintf(answer, size, "error: empty command");
        return;
    }
    arg = strtok_r(NULL, " \t\r", &save);
    if (vc.verbose)
        say("control: %s %s", cmd, arg ? arg : "");

    if (!strcmp(cmd, "remove"))
    {
        vc.inserted = 0;
        vpcd_disconnect("removed");
    }
    else if (!strcmp(cmd, "insert"))
    {
        vc.inserted = 1;
        if (vc.sock < 0 && vpcd_connect() < 0)
        {
            vc.connect_at = now_ms() + RETRY_MS;
            snprintf(answer, size, "error: not connected, retrying: %s", strerror(errno));
        }
    }
    else if (!strcmp(cmd, "mute"))
        vc.muted = 1;
    else if (!strcmp(cmd, "unmute"))
        vc.muted = 0;
    else if (!strcmp(cmd, "slow"))
    {
        char *end;
        unsigned long ms = arg ? strtoul(arg, &end, 10) : 0;

        if (!arg || *end || ms > 600000)
            snprintf(answer, size, "error: slow needs a delay in ms (0..600000)");
        else
            vc.slow_ms = ms;
    }
    else if (!strcmp(cmd, "malformed"))
    {
        if (arg && !strcmp(arg, "empty")) vc.malformed = MALFORMED_EMPTY;
        else if (arg && !strcmp(arg, "one")) vc.malformed = MALFORMED_ONE;
        else if (arg && !strcmp(arg, "long")) vc.malformed = MALFORMED_LONG;
        else snprintf(answer, size, "error: malformed empty|one|long");
    }
    else if (!strcmp(cmd, "reset"))
        card_reset(vc.card);
    else if (!strcmp(cmd, "factory"))
    {
        card_factory(vc.card);
        vc.muted = 0;
        vc.slow_ms = 0;
        vc.malformed = MALFORMED_NONE;
    }
    else if (!strcmp(cmd, "atr"))
    {
        int len = arg ? parse_hex_string(arg, vc.atr, sizeof(vc.atr)) : -1;

        if (len >= 2)
            vc.atr_len = len;
        else
        {
            set_default_atr(card_protocol(vc.card));
            if (arg)
                snprintf(answer, size, "error: bad ATR (2..33 hex bytes), default restored");
        }
    }
    else if (!strcmp(cmd, "status"))
        snprintf(answer, size, "ok inserted=%d connected=%d powered=%d muted=%d slow=%u protocol=%s "
                "apdus=%lu swallowed=%lu atr_requests=%lu connects=%lu",
                vc.inserted, vc.sock >= 0, vc.powered, vc.muted, vc.slow_ms,
                card_protocol(vc.card) == CARD_T1 ? "t1" : "t0",
                vc.apdus, vc.swallowed, vc.atr_requests, vc.connects);
    else if (!strcmp(cmd, "quit"))
        quit = 1;
    else
        snprintf(answer, size, "error: unknown command '%s'", cmd);
}

static void client_close(struct client *client)
{
    close(client->fd);
    client->fd = -1;
    client->len = 0;
}

static void client_read(struct client *client)
{
    ssize_t r = recv(client->fd, client->line + client->len, sizeof(client->line) - 1 - client->len, 0);
    char answer[LINE_MAX_LEN], *nl;

    if (r < 0 && errno == EINTR)
        return;
    if (r <= 0)
    {
        client_close(client);
        return;
    }
    client->len += r;
    client->line[client->len] = 0;
    while ((nl = strchr(client->line, '\n')))
    {
        size_t used = nl - client->line + 1;

        *nl = 0;
        control_command(client->line, answer, sizeof(answer));
        client_reply(client, answer);
        memmove(client->line, client->line + used, client->len - used + 1);
        client->len -= used;
    }
    if (client->len == sizeof(client->line) - 1)
    {
        client_reply(client, "error: line too long");
        client_close(client);
    }
}

static int control_listen(const char *path)
{
    struct sockaddr_un addr;
    int fd;

    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (strlen(path) >= sizeof(addr.sun_path))
    {
        say("control socket path too long: %s", path);
        return -1;
    }
    strcpy(addr.sun_path, path);
    if ((fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0)) < 0)
        return -1;
    unlink(path);
    if (bind(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0 || listen(fd, MAX_CLIENTS) < 0)
    {
        say("control socket %s: %s", path, strerror(errno));
        close(fd);
        return -1;
    }
    return fd;
}

static void control_accept(void)
{
    int fd = accept4(vc.listen_fd, NULL, NULL, SOCK_CLOEXEC), i;

    if (fd < 0)
        return;
    for (i = 0; i < MAX_CLIENTS; i++)
    {
        if (vc.clients[i].fd < 0)
        {
            vc.clients[i].fd = fd;
            vc.clients[i].len = 0;
            return;
        }
    }
    close(fd);
}

/* "vcard ctl PATH COMMAND...": one command, its answer on stdout */
static int control_client(int argc, char **argv)
{
    struct timeval tv = { 10, 0 };
    struct sockaddr_un addr;
    char buf[LINE_MAX_LEN];
    size_t len = 0;
    int fd, i;

    if (argc < 2)
    {
        fprintf(stderr, "usage: vcard ctl PATH COMMAND [ARG]\n");
        return 2;
    }
    memset(&addr, 0, sizeof(addr));
    addr.sun_family = AF_UNIX;
    if (strlen(argv[0]) >= sizeof(addr.sun_path))
    {
        fprintf(stderr, "vcard ctl: path too long: %s\n", argv[0]);
        return 2;
    }
    strcpy(addr.sun_path, argv[0]);
    if ((fd = socket(AF_UNIX, SOCK_STREAM, 0)) < 0
            || connect(fd, (struct sockaddr *)&addr, sizeof(addr)) < 0)
    {
        fprintf(stderr, "vcard ctl: %s: %s\n", argv[0], strerror(errno));
        return 2;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    for (i = 1; i < argc; i++)
        len += snprintf(buf + len, sizeof(buf) - len, "%s%s", i > 1 ? " " : "", argv[i]);
    if (len >= sizeof(buf) - 1)
    {
        fprintf(stderr, "vcard ctl: command too long\n");
        return 2;
    }
    buf[len++] = '\n';
    if (send(fd, buf, len, MSG_NOSIGNAL) != (ssize_t)len)
    {
        fprintf(stderr, "vcard ctl: send: %s\n", strerror(errno));
        return 2;
    }
    len = 0;
    while (len < sizeof(buf) - 1)
    {
        ssize_t r = recv(fd, buf + len, sizeof(buf) - 1 - len, 0);
        if (r <= 0)
        {
            fprintf(stderr, "vcard ctl: no answer from the card\n");
            return 2;
        }
        len += r;
        if (memchr(buf, '\n', len))
            break;
    }
    buf[len] = 0;
    fputs(buf, stdout);
    close(fd);
    return strncmp(buf, "ok", 2) ? 1 : 0;
}

static void usage(FILE *f)
{
    fprintf(f,
        "usage: vcard [options]\n"
        "       vcard ctl PATH COMMAND [ARG]\n"
        "A virtual ISO 7816-4 file system card for the vpcd reader driver.\n"
        "  --protocol t0|t1     personality (default t1)\n"
        "  --atr HEX            ATR (default depends on the protocol, see README.md)\n"
        "  --host HOST          vpcd host (default 127.0.0.1)\n"
        "  --port N             vpcd port (default 35963)\n"
        "  --control PATH       Unix stream socket taking fault injection commands\n"
        "  --reconnect-delay MS wait before reconnecting after vpcd dropped the card (default 1000)\n"
        "  --removed            start removed (connect on the control command insert)\n"
        "  -v, --verbose        log controls and APDUs to stderr\n"
        "Control commands (one a line, each answered \"ok...\" or \"error: ...\"):\n"
        "  remove, insert, mute, unmute, slow MS, malformed empty|one|long,\n"
        "  reset, factory, atr HEX, status, quit\n");
}

int main(int argc, char **argv)
{
    enum card_protocol protocol = CARD_T1;
    const char *atr = NULL;
    struct sigaction sa;
    int i, ret = 0;

    if (argc > 1 && !strcmp(argv[1], "ctl"))
        return control_client(argc - 2, argv + 2);

    vc.host = "127.0.0.1";
    vc.port = 35963;
    vc.sock = -1;
    vc.listen_fd = -1;
    vc.inserted = 1;
    vc.reconnect_ms = 1000;
    for (i = 0; i < MAX_CLIENTS; i++)
        vc.clients[i].fd = -1;

    for (i = 1; i < argc; i++)
    {
        const char *opt = argv[i], *val = i + 1 < argc ? argv[i + 1] : NULL;

        if (!strcmp(opt, "-h") || !strcmp(opt, "--help"))
        {
            usage(stdout);
            return 0;
        }
        if (!strcmp(opt, "-v") || !strcmp(opt, "--verbose"))
        {
            vc.verbose = 1;
            continue;
        }
        if (!strcmp(opt, "--removed"))
        {
            vc.inserted = 0;
            continue;
        }
        if (!val)
        {
            fprintf(stderr, "vcard: unknown option or missing value: %s\n", opt);
            usage(stderr);
            return 2;
        }
        i++;
        if (!strcmp(opt, "--protocol"))
        {
            if (!strcmp(val, "t0") || !strcmp(val, "T0") || !strcmp(val, "0"))
                protocol = CARD_T0;
            else if (!strcmp(val, "t1") || !strcmp(val, "T1") || !strcmp(val, "1"))
                protocol = CARD_T1;
            else
            {
                fprintf(stderr, "vcard: --protocol t0|t1\n");
                return 2;
            }
        }
        else if (!strcmp(opt, "--atr"))
            atr = val;
        else if (!strcmp(opt, "--host"))
            vc.host = val;
        else if (!strcmp(opt, "--port"))
        {
            char *end;
            unsigned long port = strtoul(val, &end, 0);
            if (*end || !port || port > 65535)
            {
                fprintf(stderr, "vcard: bad port %s\n", val);
                return 2;
            }
            vc.port = port;
        }
        else if (!strcmp(opt, "--control"))
            vc.control_path = val;
        else if (!strcmp(opt, "--reconnect-delay"))
            vc.reconnect_ms = strtoul(val, NULL, 10);
        else
        {
            fprintf(stderr, "vcard: unknown option %s\n", opt);
            usage(stderr);
            return 2;
        }
    }

    if (!(vc.card = card_create(protocol)))
    {
        fprintf(stderr, "vcard: out of memory\n");
        return 1;
    }
    set_default_atr(protocol);
    if (atr)
    {
        int len = parse_hex_string(atr, vc.atr, sizeof(vc.atr));
        if (len < 2)
        {
            fprintf(stderr, "vcard: bad ATR %s (2..33 hex bytes)\n", atr);
            return 2;
        }
        vc.atr_len = len;
    }

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;   /* no SA_RESTART: poll() returns EINTR */
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = SIG_IGN;
    sigaction(SIGPIPE, &sa, NULL);

    if (vc.control_path && (vc.listen_fd = control_listen(vc.control_path)) < 0)
        return 1;

    if (vc.inserted && vpcd_connect() < 0)
    {
        say("vpcd at %s:%u: %s; retrying", vc.host, vc.port, strerror(errno));
        vc.connect_at = now_ms() + RETRY_MS;
    }

    while (!quit)
    {
        struct pollfd fds[2 + MAX_CLIENTS];
        int nfds = 0, sock_idx = -1, listen_idx = -1, client_idx[MAX_CLIENTS];
        long long now = now_ms(), deadline = -1;
        int timeout;

        if (vc.held)
            deadline = vc.held_until;
        else if (vc.inserted && vc.sock < 0)
            deadline = vc.connect_at;

        if (vc.sock >= 0 && !vc.held)
        {
            sock_idx = nfds;
            fds[nfds].fd = vc.sock;
            fds[nfds++].events = POLLIN;
        }
        if (vc.listen_fd >= 0)
        {
            listen_idx = nfds;
            fds[nfds].fd = vc.listen_fd;
            fds[nfds++].events = POLLIN;
        }
        for (i = 0; i < MAX_CLIENTS; i++)
        {
            client_idx[i] = -1;
            if (vc.clients[i].fd < 0)
                continue;
            client_idx[i] = nfds;
            fds[nfds].fd = vc.clients[i].fd;
            fds[nfds++].events = POLLIN;
        }

        timeout = deadline < 0 ? -1 : deadline <= now ? 0 : (int)(deadline - now);
        if (poll(fds, nfds, timeout) < 0)
        {
            if (errno == EINTR)
                continue;
            say("poll: %s", strerror(errno));
            ret = 1;
            break;
        }

        now = now_ms();
        if (vc.held && now >= vc.held_until)
        {
            unsigned char *held = vc.held;
            vc.held = NULL;
            send_frame(held, vc.held_len);
            free(held);
            handle_input();
        }
        if (vc.inserted && vc.sock < 0 && now >= vc.connect_at)
        {
            if (vpcd_connect() < 0)
                vc.connect_at = now + RETRY_MS;
        }
        if (sock_idx >= 0 && fds[sock_idx].revents && vc.sock == fds[sock_idx].fd)
            vpcd_read();
        for (i = 0; i < MAX_CLIENTS; i++)
            if (client_idx[i] >= 0 && fds[client_idx[i]].revents && vc.clients[i].fd >= 0)
                client_read(&vc.clients[i]);
        if (listen_idx >= 0 && fds[listen_idx].revents)
            control_accept();
    }

    for (i = 0; i < MAX_CLIENTS; i++)
        if (vc.clients[i].fd >= 0)
            client_close(&vc.clients[i]);
    if (vc.listen_fd >= 0)
    {
        close(vc.listen_fd);
        unlink(vc.control_path);
    }
    if (vc.sock >= 0)
        close(vc.sock);
    free(vc.held);
    card_destroy(vc.card);
    if (vc.verbose || quit)
        say("exiting");
    return ret;
}
