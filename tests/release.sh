#!/bin/sh
# The release copy of scardssp.dll (ARCH/release/scardssp.dll, what a package
# ships), per architecture:
#   - its export directory holds the four COM entry points and nothing else;
#   - the PE header asks for Windows 6.1 (7 SP1 with the Universal CRT, or
#     later), as OS and as subsystem version;
#   - no symbols and no debug information (ARCH/scardssp.dll keeps them);
# and under Wine the DLL's debug channel follows WINEDEBUG as Wine's own do.
# (tests/regfree runs the release copy; tests/scardssp/version.c checks the
# version resource.)
set -u
: "${top_builddir:?run through make check}"

objdump=${MINGW64_OBJDUMP:-x86_64-w64-mingw32-objdump}
wine64=${WINE64:-/usr/lib/wine/wine64}
tests=0
failures=0

ok() {
    tests=$((tests + 1))
    if [ "$1" != 0 ]; then
        failures=$((failures + 1))
        printf "release.sh: Test failed: %s\n" "$2"
    fi
}

# the value of a field of `objdump -p` (MajorSubsystemVersion ...)
field() { # FILE NAME
    "$objdump" -p "$1" | awk -v name="$2" '$1 == name { print $2; exit }'
}

for arch in x86_64 i686; do
    dll=$top_builddir/$arch/release/scardssp.dll
    if [ ! -f "$dll" ]; then
        ok 1 "$dll was not built"
        continue
    fi

    exports=$("$objdump" -p "$dll" | sed -n '/^\[Ordinal\/Name Pointer\] Table/,/^$/p' | awk '/^\t\[/ { print $NF }' | tr '\n' ' ')
    [ "$exports" = "DllCanUnloadNow DllGetClassObject DllRegisterServer DllUnregisterServer " ]
    ok $? "$arch: exports [$exports]"
    # one export directory, of those four names: no list of internal symbols
    edata=$("$objdump" -h "$dll" | awk '$2 == ".edata" { print $3 }')
    [ -n "$edata" ] && [ $((0x$edata)) -le 256 ]
    ok $? "$arch: .edata is 0x$edata bytes"

    for name in MajorOSystemVersion MajorSubsystemVersion; do
        got=$(field "$dll" "$name")
        [ "$got" = 6 ]; ok $? "$arch: $name $got"
    done
    for name in MinorOSystemVersion MinorSubsystemVersion; do
        got=$(field "$dll" "$name")
        [ "$got" = 1 ]; ok $? "$arch: $name $got"
    done

    debug=$("$objdump" -h "$dll" | awk '$2 ~ /^\.debug/ { print $2 }' | tr '\n' ' ')
    [ -z "$debug" ]; ok $? "$arch: debug sections [$debug]"
    "$objdump" -t "$dll" | grep -q 'no symbols'
    ok $? "$arch: the release DLL has a symbol table"
    "$objdump" -h "$top_builddir/$arch/scardssp.dll" | grep -q ' \.debug_info '
    ok $? "$arch: the developer copy $arch/scardssp.dll has no debug information"
done

# Under Wine, WINEDEBUG works as for Wine's own modules (debug.c changes
# nothing there): a trace with +scardssp, nothing with -all.
prefix=$top_builddir/tests/prefix
if [ -f "$prefix/system.reg" ]; then
    run() { # WINEDEBUG
        WINEPREFIX=$prefix WINEDEBUG=$1 WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d" \
            "$wine64" "$top_builddir/x86_64/tests/scardssp/progid.exe" 2>&1 >/dev/null
    }
    traces=$(run trace+scardssp | grep -c 'trace:scardssp:DllGetClassObject')
    [ "$traces" -ge 7 ]; ok $? "WINEDEBUG=trace+scardssp: $traces DllGetClassObject traces, expected one per class at least"
    lines=$(run -all | grep -c 'scardssp:')
    [ "$lines" = 0 ]; ok $? "WINEDEBUG=-all: $lines scardssp lines"
else
    ok 1 "no test prefix at $prefix"
fi

echo "release: $tests tests executed (0 marked as todo, $failures failures), 0 skipped."
[ $failures = 0 ]
