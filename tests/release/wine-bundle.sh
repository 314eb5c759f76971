#!/bin/bash
# The Wine bundle as a user gets it: scardssp-VERSION-wine.tar.gz unpacked
# in an empty folder (no build tree there), its setup_scardssp.sh run
# against a fresh prefix (a copy of tests/pristine):
#   1. install refuses a folder that is not a prefix, and creates nothing;
#   2. install; a second install changes nothing; status tells what is there;
#   3. legacy clients (examples/demo.vbs and the compiled democlient, 64-
#      and 32-bit) pass against the virtual card, status sees its reader;
#   4. uninstall: the registry (system.reg, user.reg, userdef.reg without
#      timestamps and the volatile DriverDateData value) and every file
#      (path and size; content for the system folders) are as before;
#   5. with a winscard override of the user's: install, install --no-bridge
#      (Wine's winscard back, the user's override back), uninstall: as before.
set -u -o pipefail
: "${top_builddir:?run through make check}" "${top_srcdir:?}"
name=wine-bundle
. "$top_srcdir/tests/release/prefix.sh"
fresh_prefix
unpack_bundle
mkdir -p "$work/client"
version=$(basename "$archive" -wine.tar.gz); version=${version#scardssp-}
cp "$top_srcdir/examples/demo.vbs" "$work/client/"
for a in x86_64 i686; do cp "$top_builddir/$a/examples/democlient.exe" "$work/client/democlient-$a.exe" || exit 99; done

# The user's view: no build tree, no WINE/WINE64 set (the script finds Wine).
user() { (cd "$work/user" && env -u WINE -u WINE64 -u top_builddir -u top_srcdir "$@"); }

# 1. not a prefix
mkdir "$work/empty"
user "$setup" install "$work/empty" >/dev/null 2>&1
[ $? = 1 ] && [ ! -e "$work/empty/system.reg" ] && [ -z "$(ls -A "$work/empty")" ]
ok $? "install into a folder that is not a prefix: not refused, or it created something"

# 2. install, twice
snapshot before
out=$(user "$setup" install "$prefix" 2>&1); ok $? "install failed: $out"
has "$out" "scardssp $version installed in $prefix" "install"
settle; cp "$prefix/.scardssp/record" "$work/record1"
snapshot installed1
out=$(user "$setup" install "$prefix" 2>&1); ok $? "a second install failed: $out"
snapshot installed2
same_as installed1 installed2 "a second install"
# The bridge's Unix side each architecture gets (README, Supported platforms):
# the Unix library from Wine 11.2 on, where it loads; the winelib module in
# the old WoW64 mode; none for 32-bit programs in the new WoW64 mode before 11.2.
wine_version=$("${WINE64:-/usr/lib/wine/wine64}" --version | sed 's/^wine-//; s/[^0-9.].*//')
if [ "$(printf '%s\n' 11.2 "$wine_version" | sort -V | head -n 1)" = 11.2 ]; then unixlib=1; else unixlib=0; fi
case "${WINE32:-/usr/lib/wine/wine}" in */lib/wine/wine) wow64=old ;; *) wow64=new ;; esac
route_x64=winscard_pcsc.dll.so route_x32=winscard_pcsc.dll.so
[ $unixlib = 1 ] && route_x64=winscard_pcsc.so
[ $wow64 = new ] && { [ $unixlib = 1 ] && route_x32=winscard_pcsc.so || route_x32=none; }
bridge_lines() { # FOLDER ROUTE
    [ "$2" = none ] || printf 'replaced %s/winscard.dll\nadded %s/%s\n' "$1" "$1" "$2"
}
expected_record="version $version
added system32/scardssp.dll
$(bridge_lines system32 $route_x64)
registered x64
added syswow64/scardssp.dll
$(bridge_lines syswow64 $route_x32)
registered x32
override -"
expected_record=$(sed '/^$/d' <<< "$expected_record")
[ "$(cat "$work/record1")" = "$expected_record" ]
ok $? "the record: got
$(cat "$work/record1")"
for f in system32/winscard.dll syswow64/winscard.dll; do
    [ "$f" = syswow64/winscard.dll ] && [ $route_x32 = none ] && continue
    cmp -s "$top_builddir/tests/pristine/drive_c/windows/$f" "$prefix/drive_c/windows/$f.old"
    ok $? "$f.old is not the file install replaced"
done
out=$(user "$setup" status "$prefix" 2>&1)
has "$out" "^installed: scardssp $version " "status"
# the version resource: FileVersion 6.X.Y.0 for the project's X.Y (README)
has "$out" "scardssp.dll: C:.windows.system32.scardssp.dll, version 6\\.${version//./\\.}\\." "status, x64"
has "$out" "scardssp.dll: C:.windows.syswow64.scardssp.dll, version 6\\.${version//./\\.}\\." "status, x32"
has "$out" "winscard.dll: native \(the scardssp bridge" "status"
has "$out" "bridge's Unix side: ${route_x64//./\\.} \(pcsc-lite loads\)" "status: the 64-bit route"
if [ $route_x32 = none ]; then has "$out" "winscard.dll: Wine's builtin" "status: 32-bit, Wine's own"
else has "$out" "bridge's Unix side: ${route_x32//./\\.} \(pcsc-lite loads\)" "status: the 32-bit route"; fi
has "$out" "resource manager: does not answer \(SCARD_E_NO_SERVICE" "status without pcscd"
has "$out" "^winscard:  the bridge is selected where installed \(DllOverrides winscard=native,builtin\)" "status"

# 3. legacy clients against the virtual card
if ! env_lines=$("$top_srcdir/tools/stack" start "$work/stack" --protocol t1); then
    echo "wine-bundle: could not start the reader stack"; exit 99
fi
eval "$env_lines"
out=$(user "$setup" status "$prefix" 2>&1)
has "$out" "resource manager: answers" "status with pcscd"
has "$out" "^ *$VCARD_READER0\$" "status: the reader"
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"
for loader in "${WINE64:-/usr/lib/wine/wine64} C:\\windows\\system32\\cscript.exe x86_64" \
              "${WINE32:-/usr/lib/wine/wine} C:\\windows\\syswow64\\cscript.exe i686"; do
    set -- $loader
    out=$(cd "$work/client" && "$1" "$2" //nologo demo.vbs "$VCARD_READER0" 2>&1 | tr -d '\r'); status=$?
    [ $status = 0 ] && printf '%s\n' "$out" | tail -n 1 | grep -q '^demo: all status words as expected'
    ok $? "demo.vbs ($3): exit $status:
$out"
    out=$(cd "$work/client" && "$1" "democlient-$3.exe" "$VCARD_READER0" 2>&1 | tr -d '\r'); status=$?
    [ $status = 0 ] && printf '%s\n' "$out" | tail -n 1 | grep -q '^democlient: all status words as expected'
    ok $? "democlient ($3): exit $status:
$out"
done
unset WINEPREFIX
"$top_srcdir/tools/stack" stop "$work/stack" >/dev/null

# 4. uninstall
out=$(user "$setup" uninstall "$prefix" 2>&1); ok $? "uninstall failed: $out"
snapshot after
same_as before after "the prefix after install, uninstall"
out=$(user "$setup" status "$prefix" 2>&1)
has "$out" "^installed: no" "status after uninstall"

# 5. the user's own winscard override; --no-bridge
user_override builtin
snapshot own
has "$(cat "$work/own.user.reg")" '^"winscard"="builtin"$' "the user's override in user.reg"
out=$(user "$setup" install "$prefix" 2>&1); ok $? "install failed: $out"
out=$(user "$setup" status "$prefix" 2>&1)
has "$out" "winscard=native,builtin" "status over the user's override"
out=$(user "$setup" install --no-bridge "$prefix" 2>&1); ok $? "install --no-bridge failed: $out"
has "$out" "Wine's own winscard is used" "install --no-bridge"
out=$(user "$setup" status "$prefix" 2>&1)
has "$out" "^winscard:  Wine's own \(DllOverrides winscard=builtin\)" "status after install --no-bridge"
has "$out" "winscard.dll: Wine's builtin" "status after install --no-bridge"
cmp -s "$top_builddir/tests/pristine/drive_c/windows/system32/winscard.dll" "$prefix/drive_c/windows/system32/winscard.dll"
ok $? "install --no-bridge did not put Wine's winscard.dll back"
out=$(user "$setup" uninstall "$prefix" 2>&1); ok $? "uninstall failed: $out"
snapshot own-after
same_as own own-after "the prefix with the user's override after install, install --no-bridge, uninstall"

summary
