# Shared by the release tests (sourced after setting $name): checks in
# the shape of Wine's tests, a scratch folder $work with the test's own
# prefix $prefix (and reader stack $work/stack), both removed at exit, and
# snapshots of the prefix that two states can be compared by.
top_builddir=$(cd "$top_builddir" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/scardssp-$name.XXXXXX")
prefix=$work/prefix
cleanup() {
    [ ! -d "$work/stack" ] || "$top_srcdir/tools/stack" stop "$work/stack" >/dev/null 2>&1
    WINEPREFIX=$prefix "${WINESERVER:-wineserver}" -k 2>/dev/null
    rm -rf "$work"
}
trap cleanup EXIT
tests=0
failures=0

ok() { # STATUS MESSAGE
    tests=$((tests + 1))
    [ "$1" = 0 ] || { failures=$((failures + 1)); printf '%s: Test failed: %s\n' "$name" "$2"; }
}
has() { # TEXT PATTERN WHAT
    printf '%s\n' "$1" | grep -qE -- "$2"
    ok $? "$3: no line matching [$2] in:
$1"
}
summary() {
    echo "$name: $tests tests executed (0 marked as todo, $failures failures), 0 skipped."
    [ $failures = 0 ]
}

settle() { WINEPREFIX=$prefix "${WINESERVER:-wineserver}" -w; }
# The registry (without timestamps and the display driver's DriverDateData,
# which Wine rewrites at every start), every file's path and size, and the
# content of the system folders.
snapshot() { # NAME
    local r
    settle
    for r in system.reg user.reg userdef.reg; do
        sed -e '/^#time=/d' -e 's/^\(\[.*\]\) [0-9]*$/\1/' -e '/^"DriverDateData"=/d' "$prefix/$r" > "$work/$1.$r"
    done
    (cd "$prefix" && find . -path ./dosdevices -prune -o \( -type f -o -type l \) -printf '%p %s\n' | LC_ALL=C sort
     cd drive_c/windows && md5sum system32/* syswow64/* 2>/dev/null) > "$work/$1.files"
}
same_as() { # BEFORE AFTER WHAT
    local r
    for r in system.reg user.reg userdef.reg files; do
        cmp -s "$work/$1.$r" "$work/$2.$r"
        ok $? "$3: $r differs:
$(diff "$work/$1.$r" "$work/$2.$r" | head -20)"
    done
}
# a fresh prefix of the test's own: a copy of the pristine one
fresh_prefix() {
    [ -f "$top_builddir/tests/pristine/system.reg" ] || { echo "$name: no pristine prefix; run through make check"; exit 99; }
    cp -a "$top_builddir/tests/pristine" "$prefix" || exit 99
}
# the Wine bundle (make release) unpacked in $work/user, where no build tree
# is: $archive, and $setup its setup script
unpack_bundle() {
    archive=$(ls "$top_builddir"/scardssp-*-wine.tar.gz 2>/dev/null | tail -n 1)
    [ -n "$archive" ] || { echo "$name: no scardssp-*-wine.tar.gz in $top_builddir (make release)"; exit 99; }
    mkdir -p "$work/user"
    tar -C "$work/user" -xzf "$archive" || exit 99
    setup=$(ls "$work"/user/scardssp-*-wine/setup_scardssp.sh)
}
# a winscard override of the user's, set with reg.exe as a user would; read
# back from user.reg once the server has saved it, and set again if a run
# ended without writing it (3 tries)
user_override() { # VALUE
    local try
    for try in 1 2 3; do
        WINEPREFIX=$prefix WINEDEBUG=-all "${WINE64:-/usr/lib/wine/wine64}" reg add 'HKCU\Software\Wine\DllOverrides' \
            /v winscard /d "$1" /f >/dev/null 2>&1
        settle
        grep -qxF "\"winscard\"=\"$1\"" "$prefix/user.reg" && break
    done
}
