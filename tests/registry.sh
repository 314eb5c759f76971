#!/bin/sh
# Registration of scardssp.dll: what regsvr32 writes, and that regsvr32 /u
# takes exactly that away again, for each architecture, with atl100.dll
# disabled (DllRegisterServer needs nothing but Windows).
#
# Runs in a registry-only clone of the test prefix (its own *.reg files and
# wineserver, the prefix's drive_c shared), so that unregistering never
# disturbs the tests running in tests/prefix at the same time.
#
#   1. unregister both architectures: nothing of ours is left (state U),
#      and unregistering again succeeds;
#   2. per architecture: regsvr32 writes every key and value it should;
#      regsvr32 /u then gives state U again, byte for byte;
#   3. registering both again gives the prefix's state exactly, and a
#      second registration changes nothing;
#   4. in several orders of installing and uninstalling the two
#      architectures, the whole registry (system.reg and user.reg) ends
#      byte for byte where it started, and while one architecture is
#      unregistered the other still creates every class by ProgID
#      (ARCH/tests/scardssp/progid.exe of the other architecture);
#   5. with nothing registered, ARCH/tests/regfree/regfree.exe works through
#      its manifest alone.
#
# The snapshots of 1-3 are `reg export HKLM\Software\Classes` cut down to
# the keys that name one of our CLSIDs, IIDs, the LIBID or a SCardSSP ProgID;
# those of 4 are the saved registry files without their timestamps.
set -u
: "${top_builddir:?run through make check}"

wine64=${WINE64:-/usr/lib/wine/wine64}
wine32=${WINE32:-/usr/lib/wine/wine}
wineserver=${WINESERVER:-wineserver}
base=$top_builddir/tests/prefix
work=$top_builddir/tests/registry.tmp
prefix=$work/prefix
tests=0
failures=0

if [ ! -f "$base/system.reg" ]; then
    echo "registry: no test prefix at $base; run through make check"
    exit 99
fi

LIBID='{82C38704-19F1-11D3-A11F-00C04F79F800}'
PSCLSID='{E126F8FE-A7AF-11D0-B88A-00C04FD424B9}'
# coclass CLSID, ProgID stem, interface IID, vtable slots (NumMethods)
CLASSES='
{E126F8FF-A7AF-11D0-B88A-00C04FD424B9} ByteBuffer    {E126F8FE-A7AF-11D0-B88A-00C04FD424B9} 21
{53B6AA67-3F56-11D0-916B-00AA00C18068} SCardTypeConv {53B6AA63-3F56-11D0-916B-00AA00C18068} 17
{D5778AE7-43DE-11D0-9171-00AA00C18068} SCardCmd      {D5778AE3-43DE-11D0-9171-00AA00C18068} 40
{53B6AA6C-3F56-11D0-916B-00AA00C18068} SCardISO7816  {53B6AA68-3F56-11D0-916B-00AA00C18068} 25
{1461AAC7-6810-11D0-918F-00AA00C18068} SCard         {1461AAC3-6810-11D0-918F-00AA00C18068} 19
{1461AACC-6810-11D0-918F-00AA00C18068} SCardDatabase {1461AAC8-6810-11D0-918F-00AA00C18068} 12
{1461AAD1-6810-11D0-918F-00AA00C18068} SCardLocate   {1461AACD-6810-11D0-918F-00AA00C18068} 10
'
ROOT='HKEY_LOCAL_MACHINE\Software\Classes'

ok() {
    tests=$((tests + 1))
    if [ "$1" != 0 ]; then
        failures=$((failures + 1))
        printf "registry.sh: Test failed: %s\n" "$2"
    fi
}

cleanup() {
    WINEPREFIX=$prefix "$wineserver" -k 2>/dev/null
    rm -rf "$work"
}

# the clone: registry files, dosdevices and the wineboot stamp of the prefix
rm -rf "$work"
mkdir -p "$prefix"
cp "$base"/*.reg "$base/.update-timestamp" "$prefix/" || exit 99
cp -a "$base/dosdevices" "$prefix/" || exit 99
ln -s "$(cd "$base" && pwd)/drive_c" "$prefix/drive_c"
trap cleanup EXIT

export WINEPREFIX=$prefix
export WINEDEBUG=-all
export WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d;atl100=d"
"$wineserver" -p10 2>/dev/null

have32=0
if [ -x "$wine32" ] && [ -d "$prefix/drive_c/windows/syswow64" ] \
        && [ -f "$prefix/drive_c/windows/syswow64/scardssp.dll" ]; then
    have32=1
fi

regsvr() { # ARCH [/u]
    if [ "$1" = 64 ]; then
        "$wine64" regsvr32 /s ${2:-} scardssp.dll
    else
        "$wine32" 'C:\windows\syswow64\regsvr32.exe' /s ${2:-} scardssp.dll
    fi
}

# The keys of ours, as exported (UTF-8, no CR), blocks separated by blank lines.
snapshot() { # FILE
    "$wine64" reg export "$ROOT" "$work/export.reg" /y >/dev/null 2>&1 || { echo "reg export failed"; return 1; }
    IDS=$(printf '%s\n' "$CLASSES" | awk 'NF { print $1; print $3 }'; printf '%s\nSCardSSP.\n' "$LIBID")
    iconv -f UTF-16LE -t UTF-8 "$work/export.reg" | tr -d '\r' | IDS=$IDS awk '
        BEGIN { n = split(tolower(ENVIRON["IDS"]), id, "\n") }
        /^\[/ { keep = 0; k = tolower($0); for (i = 1; i <= n; i++) if (id[i] != "" && index(k, id[i])) keep = 1 }
        keep' > "$1"
}

# The value NAME (@ for the default) of KEY in a snapshot, as exported.
value() { # FILE KEY NAME (through the environment: awk -v would expand backslashes)
    KEY="[$2]" NAME="$3" awk '
        BEGIN { key = tolower(ENVIRON["KEY"]); name = ENVIRON["NAME"]
                name = (name == "@") ? "@" : "\"" tolower(name) "\"" }
        /^\[/ { inkey = (tolower($0) == key); next }
        inkey && index(tolower($0), name "=") == 1 { print substr($0, length(name) + 2); exit }' "$1"
}

check_value() { # FILE KEY NAME EXPECTED
    got=$(value "$1" "$2" "$3")
    [ "$got" = "$4" ]
    ok $? "$2 $3: got [$got], expected [$4]"
}

check_value_suffix() { # FILE KEY NAME SUFFIX (case insensitive)
    got=$(value "$1" "$2" "$3")
    case "$(printf '%s\n' "$got" | tr 'A-Z' 'a-z')" in
        *"$4") ok 0 "" ;;
        *) ok 1 "$2 $3: got [$got], expected ...$4" ;;
    esac
}

# Everything regsvr32 of one architecture writes, in that architecture's view.
check_registered() { # FILE ARCH
    if [ "$2" = 64 ]; then view=$ROOT; dll='system32\\scardssp.dll"'; syskind=win64
    else view="$ROOT\\Wow6432Node"; dll='syswow64\\scardssp.dll"'; syskind=win32; fi

    while read -r clsid stem iid slots; do
        [ -n "$clsid" ] || continue
        check_value_suffix "$1" "$view\\CLSID\\$clsid\\InprocServer32" @ "$dll"
        check_value "$1" "$view\\CLSID\\$clsid\\InprocServer32" ThreadingModel '"Both"'
        check_value "$1" "$view\\CLSID\\$clsid\\ProgID" @ "\"SCardSSP.$stem.1\""
        check_value "$1" "$view\\CLSID\\$clsid\\VersionIndependentProgID" @ "\"SCardSSP.$stem\""
        check_value "$1" "$view\\CLSID\\$clsid\\TypeLib" @ "\"$LIBID\""
        check_value "$1" "$ROOT\\SCardSSP.$stem.1\\CLSID" @ "\"$clsid\""
        check_value "$1" "$ROOT\\SCardSSP.$stem\\CLSID" @ "\"$clsid\""
        check_value "$1" "$ROOT\\SCardSSP.$stem\\CurVer" @ "\"SCardSSP.$stem.1\""
        check_value "$1" "$view\\Interface\\$iid\\ProxyStubClsid32" @ "\"$PSCLSID\""
        check_value "$1" "$view\\Interface\\$iid\\NumMethods" @ "\"$slots\""
    done <<EOF
$CLASSES
EOF
    check_value_suffix "$1" "$view\\CLSID\\$PSCLSID\\InprocServer32" @ "$dll"
    check_value "$1" "$view\\CLSID\\$PSCLSID\\InprocServer32" ThreadingModel '"Both"'
    check_value_suffix "$1" "$ROOT\\Typelib\\$LIBID\\1.0\\0\\$syskind" @ "$dll"
    check_value "$1" "$ROOT\\Typelib\\$LIBID\\1.0" @ '"scardssp 1.0 Type Library"'
}

same() { # A B WHAT
    cmp -s "$1" "$2"
    ok $? "$3 differs:
$(diff "$1" "$2" | head -20)"
}

snapshot "$work/initial" || exit 99
[ -s "$work/initial" ]
ok $? "the prefix has no registration of scardssp.dll"

# 1. nothing left after unregistering
regsvr 64 /u; ok $? "regsvr32 /u (64-bit) failed"
[ $have32 = 1 ] && { regsvr 32 /u; ok $? "regsvr32 /u (32-bit) failed"; }
snapshot "$work/none" || exit 99
[ ! -s "$work/none" ]
ok $? "keys left after regsvr32 /u:
$(head -20 "$work/none")"
# unregistering what is not registered succeeds and changes nothing
regsvr 64 /u; ok $? "a second regsvr32 /u (64-bit) failed"
snapshot "$work/none2" || exit 99
same "$work/none" "$work/none2" "the registry after a second regsvr32 /u"

# 2. each architecture on its own
regsvr 64; ok $? "regsvr32 (64-bit) failed"
snapshot "$work/reg64" || exit 99
check_registered "$work/reg64" 64
regsvr 64 /u; ok $? "regsvr32 /u (64-bit) failed"
snapshot "$work/unreg64" || exit 99
same "$work/none" "$work/unreg64" "the registry after regsvr32, regsvr32 /u (64-bit)"

if [ $have32 = 1 ]; then
    regsvr 32; ok $? "regsvr32 (32-bit) failed"
    snapshot "$work/reg32" || exit 99
    check_registered "$work/reg32" 32
    regsvr 32 /u; ok $? "regsvr32 /u (32-bit) failed"
    snapshot "$work/unreg32" || exit 99
    same "$work/none" "$work/unreg32" "the registry after regsvr32, regsvr32 /u (32-bit)"
else
    echo "NOT RUN: registry.sh: 32-bit registration: no 32-bit Wine (wine32:i386)"
fi

# 3. back to the prefix's state, and registering twice is registering once
regsvr 64; ok $? "regsvr32 (64-bit) failed"
[ $have32 = 1 ] && { regsvr 32; ok $? "regsvr32 (32-bit) failed"; }
snapshot "$work/again" || exit 99
same "$work/initial" "$work/again" "the registry after registering again"
regsvr 64; ok $? "regsvr32 (64-bit) failed"
snapshot "$work/twice" || exit 99
same "$work/again" "$work/twice" "the registry after registering twice"

# 4. round trips, on the registry files as wineserver saves them
regstate() { # FILE
    "$wineserver" -k 2>/dev/null
    "$wineserver" -w 2>/dev/null
    for f in system.reg user.reg; do
        echo "== $f"
        # what changes by itself: key timestamps ("[key] 1700000000"), "#time="
        # lines, and the display adapter's DriverDateData (Wine writes the
        # time of each start: Control\Class\{4D36E968-...}\0000)
        sed -e '/^#time=/d' -e '/^"DriverDateData"=/d' -e 's/^\(\[.*\]\) [0-9]*$/\1/' "$prefix/$f"
    done > "$1"
    "$wineserver" -p10 2>/dev/null
}

# Runs progid.exe of ARCH: every class by both its ProgIDs.
progid() { # ARCH WHEN
    if [ "$1" = 64 ]; then "$wine64" "$top_builddir/x86_64/tests/scardssp/progid.exe"
    else "$wine32" "$top_builddir/i686/tests/scardssp/progid.exe"; fi
    ok $? "$2: the $1-bit progid.exe failed"
}

# After the other architecture's regsvr32 /u: ARCH has all its keys and works.
still_registered() { # ARCH WHEN
    snapshot "$work/left" || exit 99
    check_registered "$work/left" "$1"
    progid "$1" "$2"
}

# once before the first snapshot: what running these programs writes by itself
regsvr 64; progid 64 warm-up >/dev/null
if [ $have32 = 1 ]; then regsvr 32; progid 32 warm-up >/dev/null; regsvr 32 /u; fi
regsvr 64 /u
regstate "$work/start"

orders='64,32,u32,u64 32,64,u64,u32 64,u64 32,u32 64,32,u64,u32'
[ $have32 = 1 ] || orders='64,u64'
for order in $orders; do
    reg64=0 reg32=0
    for step in $(echo "$order" | tr , ' '); do
        case $step in
            64) regsvr 64; ok $? "$order: regsvr32 (64-bit) failed"; reg64=1 ;;
            32) regsvr 32; ok $? "$order: regsvr32 (32-bit) failed"; reg32=1 ;;
            u64) regsvr 64 /u; ok $? "$order: regsvr32 /u (64-bit) failed"; reg64=0
                 [ $reg32 = 1 ] && still_registered 32 "$order, after u64" ;;
            u32) regsvr 32 /u; ok $? "$order: regsvr32 /u (32-bit) failed"; reg32=0
                 [ $reg64 = 1 ] && still_registered 64 "$order, after u32" ;;
        esac
    done
    regstate "$work/end"
    same "$work/start" "$work/end" "the registry files after $order"
done

# 5. with nothing registered, the registration-free manifest alone (a call
#    between apartments included): tests/regfree of each architecture
"$wine64" "$top_builddir/x86_64/tests/regfree/regfree.exe"
ok $? "nothing registered: the 64-bit regfree.exe failed"
if [ $have32 = 1 ]; then
    "$wine32" "$top_builddir/i686/tests/regfree/regfree.exe"
    ok $? "nothing registered: the 32-bit regfree.exe failed"
fi

skipped=0
[ $have32 = 1 ] || { skipped=1; echo "registry.sh: 32-bit Wine missing: only the order 64,u64 was tested"; }
echo "registry: $tests tests executed (0 marked as todo, $failures failures), $skipped skipped."
[ $failures = 0 ] || exit 1
exit 0
