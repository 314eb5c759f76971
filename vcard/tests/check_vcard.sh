#!/bin/bash
# Runs vcard/tests/check_vcard_apdus.py against a private reader stack
# (tools/stack), once with a T=0 card and once with a T=1 card.
#
# Finds its pieces for in-tree and out-of-tree builds: the vcard program
# through $VCARD, $top_builddir/vcard/vcard or ./vcard/vcard (automake runs
# tests from the top build directory); the scripts through $top_srcdir,
# $srcdir or this script's own directory.  Exit 77 (skipped, reported as
# NOT RUN) when pyscard or the namespaces the stack needs are missing.
#
# Copyright 2025 the scardssp authors
#
# This library is free software; you can redistribute it and/or
# modify it under the terms of the GNU Lesser General Public
# License as published by the Free Software Foundation; either
# version 2.1 of the License, or (at your option) any later version.
set -u

here=$(cd "$(dirname "$0")" && pwd)
src=${top_srcdir:-${srcdir:-$here/../..}}
[ -f "$src/tools/stack" ] || src=$here/../..
stack=$src/tools/stack
check=$src/vcard/tests/check_vcard_apdus.py

if [ -z "${VCARD:-}" ]; then
    for f in ${top_builddir:+"$top_builddir/vcard/vcard"} "$PWD/vcard/vcard" "$here/../vcard"; do
        if [ -x "$f" ]; then VCARD=$(cd "$(dirname "$f")" && pwd)/vcard; break; fi
    done
fi
[ -n "${VCARD:-}" ] && [ -x "$VCARD" ] || { echo "check_vcard: vcard/vcard not built (set VCARD)"; exit 99; }
export VCARD

# pyscard is a Debian package (python3-pyscard): the system python has it,
# a python3 earlier in PATH (pyenv, venv) may not
python=
for p in ${PYTHON:-} /usr/bin/python3 python3; do
    if "$p" -c 'import smartcard.scard' 2>/dev/null; then python=$p; break; fi
done
if [ -z "$python" ]; then
    echo "check_vcard: NOT RUN: no python3 with pyscard (install python3-pyscard)"
    exit 77
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/vcard-check.XXXXXX") || exit 99
cleanup()
{
    "$stack" stop "$tmp/t0" >/dev/null 2>&1
    "$stack" stop "$tmp/t1" >/dev/null 2>&1
    rm -rf "$tmp"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

status=0
for protocol in t0 t1; do
    echo "== $protocol"
    if ! "$stack" start "$tmp/$protocol" --protocol "$protocol" >"$tmp/$protocol.env" 2>"$tmp/$protocol.err"; then
        cat "$tmp/$protocol.err"
        if grep -qiE 'unshare|namespace|permission|operation not permitted' "$tmp/$protocol.err"; then
            echo "check_vcard: NOT RUN: the private reader stack cannot start here (needs root or user namespaces)"
            exit 77
        fi
        echo "vcard: 0 passed, 1 failed"
        status=1
        continue
    fi
    # run with a time limit: a card that stops answering must not hang the suite
    (set -a; . "$tmp/$protocol.env"; set +a; exec timeout 300 "$python" "$check" --protocol "$protocol") || status=1
    "$stack" stop "$tmp/$protocol" || status=1
done
exit $status
