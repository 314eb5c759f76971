#!/bin/bash
# The Windows package, scardssp-VERSION-windows.zip:
#   1. its exact contents (and no winscard.dll), each DLL of its architecture;
#   2. every import of every PE resolves against mingw-w64's Windows import
#      libraries (/usr/ARCH-w64-mingw32/lib/libNAME.a): no Wine-only import;
#   3. registration-free: tests/release/apartments.c (64- and 32-bit) beside
#      the package's DLL, component manifest and application manifest
#      example, in a fresh prefix where nothing is registered;
#   4. install.cmd and uninstall.cmd under Wine's cmd (64-bit and 32-bit
#      cmd, the latter reaching System32 through Sysnative) register and
#      remove both architectures; the prefix ends as it began.  Once with
#      Wine's atl100 and once without it, as on a stock Windows.
set -u -o pipefail
: "${top_builddir:?run through make check}" "${top_srcdir:?}"
name=windows-package
. "$top_srcdir/tests/release/prefix.sh"
wine64=${WINE64:-/usr/lib/wine/wine64}
wine32=${WINE32:-/usr/lib/wine/wine}
archive=$(ls "$top_builddir"/scardssp-*-windows.zip 2>/dev/null | tail -n 1)
[ -n "$archive" ] || { echo "$name: no scardssp-*-windows.zip in $top_builddir (make release)"; exit 99; }
package=$(basename "$archive" .zip)
version=${package#scardssp-}; version=${version%-windows}

# 1. contents
expected="$package/
$package/README-Windows.txt
$package/install.cmd
$package/uninstall.cmd
$package/x64/
$package/x64/scardssp.dll
$package/x64/scardssp.sxs.manifest
$package/x86/
$package/x86/scardssp.dll
$package/x86/scardssp.sxs.manifest
$package/yourapp.exe.manifest"
got=$(python3 -c 'import sys, zipfile; print("\n".join(sorted(zipfile.ZipFile(sys.argv[1]).namelist())))' "$archive")
[ "$got" = "$expected" ]
ok $? "the archive holds:
$got"
python3 -m zipfile -e "$archive" "$work/" || exit 99
pkg=$work/$package
has "$(x86_64-w64-mingw32-objdump -f "$pkg/x64/scardssp.dll")" "file format pei-x86-64" "x64/scardssp.dll"
has "$(x86_64-w64-mingw32-objdump -f "$pkg/x86/scardssp.dll")" "file format pei-i386" "x86/scardssp.dll"
has "$(cat "$pkg/x64/scardssp.sxs.manifest")" "name=\"scardssp.sxs\" version=\"[0-9.]+\" processorArchitecture=\"amd64\"" "x64 manifest"
has "$(cat "$pkg/x86/scardssp.sxs.manifest")" "name=\"scardssp.sxs\" version=\"[0-9.]+\" processorArchitecture=\"x86\"" "x86 manifest"
has "$(cat "$pkg/README-Windows.txt")" "^scardssp $version for Windows" "README-Windows.txt"

# 2. imports: "DLL SYMBOL" pairs of the PE, each in mingw-w64's libDLL.a
# import_syms LIB TARGET: the file of the __imp_ symbols mingw-w64's LIB.a
# (and LIBcrt.a: mingw-w64 puts ntdll's C runtime exports there) declares
import_syms() {
    local syms=$work/$2-$(basename "$1").syms
    [ -f "$syms" ] || x86_64-w64-mingw32-nm "$1.a" $(ls "${1}crt.a" 2>/dev/null) 2>/dev/null |
        awk '$2 == "I" { print $3 }' > "$syms"
    echo "$syms"
}
check_imports() { # PE TARGET
    local dll sym lib syms missing=
    while read -r dll sym; do
        lib=/usr/$2/lib/lib$(printf '%s' "${dll%.*}" | tr 'A-Z' 'a-z')
        if [ ! -f "$lib.a" ]; then missing="$missing $dll(no $lib.a)"; continue; fi
        syms=$(import_syms "$lib" "$2")
        # x86_64: __imp_NAME; i686: __imp__NAME or, stdcall, __imp__NAME@N
        grep -qE "^__imp__?${sym}(@[0-9]+)?\$" "$syms" || missing="$missing $dll:$sym"
    done < <(x86_64-w64-mingw32-objdump -p "$1" | awk '/DLL Name:/ { dll = $3; next } /^\t[0-9a-f]+\t/ && dll { print dll, $3 }')
    [ -z "$missing" ]
    ok $? "$(basename "$(dirname "$1")")/$(basename "$1"): imports no Windows import library has:$missing"
}
check_imports "$pkg/x64/scardssp.dll" x86_64-w64-mingw32
check_imports "$pkg/x86/scardssp.dll" i686-w64-mingw32
# (the check itself: Wine's own debug export would be caught)
syms=$(import_syms /usr/x86_64-w64-mingw32/lib/libntdll x86_64-w64-mingw32)
[ -s "$syms" ] && ! grep -q '^__imp___wine_dbg_output$' "$syms"
ok $? "mingw-w64's ntdll import libraries list __wine_dbg_output: the import check would prove nothing"

# 3. registration-free, nothing registered
fresh_prefix
export WINEPREFIX=$prefix WINEDEBUG=-all
snapshot pristine
for arch in x64 x86; do
    if [ $arch = x64 ]; then loader=$wine64 build=x86_64; else loader=$wine32 build=i686; fi
    app=$work/app-$arch
    mkdir -p "$app"
    cp "$top_builddir/$build/tests/release/apartments.exe" "$pkg/$arch/scardssp.dll" "$pkg/$arch/scardssp.sxs.manifest" "$app/" || exit 99
    cp "$pkg/yourapp.exe.manifest" "$app/apartments.exe.manifest"
    out=$(cd "$app" && WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d" "$loader" apartments.exe 2>&1 | tr -d '\r'); status=$?
    printf '%s\n' "$out" | sed "s/^/$arch: /"
    [ $status = 0 ] && printf '%s\n' "$out" | tail -n 1 | grep -q 'tests executed (0 marked as todo, 0 failures)'
    ok $? "$arch: registration-free STA/MTA client: exit $status"
done
snapshot regfree
same_as pristine regfree "the prefix after the registration-free runs (something was registered)"

# 4. install.cmd and uninstall.cmd
clsid='{1461AAC7-6810-11D0-918F-00AA00C18068}'
query() { # LOADER FOLDER KEY
    "$1" "C:\\windows\\$2\\reg.exe" query "$3" 2>/dev/null | tr -d '\r'
}
check_installed() { # WHAT
    local v64 v32
    v64=$(query "$wine64" system32 "HKLM\\Software\\Classes\\CLSID\\$clsid\\InprocServer32")
    v32=$(query "$wine32" syswow64 "HKLM\\Software\\Classes\\CLSID\\$clsid\\InprocServer32")
    printf '%s\n' "$v64" | grep -qi 'system32\\scardssp.dll'; ok $? "$1: 64-bit CSCard not registered: [$v64]"
    printf '%s\n' "$v32" | grep -qi 'syswow64\\scardssp.dll'; ok $? "$1: 32-bit CSCard not registered: [$v32]"
    query "$wine64" system32 'HKLM\Software\Classes\SCardSSP.SCard\CLSID' | grep -qiF "$clsid"
    ok $? "$1: the ProgID SCardSSP.SCard is not registered"
    cmp -s "$pkg/x64/scardssp.dll" "$prefix/drive_c/windows/system32/scardssp.dll"; ok $? "$1: system32\\scardssp.dll is not x64\\scardssp.dll"
    cmp -s "$pkg/x86/scardssp.dll" "$prefix/drive_c/windows/syswow64/scardssp.dll"; ok $? "$1: syswow64\\scardssp.dll is not x86\\scardssp.dll"
}
cmd_script() { # 64|32 SCRIPT OVERRIDES
    local loader=$wine64 sys=system32
    [ "$1" = 32 ] && { loader=$wine32; sys=syswow64; }
    (cd "$pkg" && WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d$3" "$loader" "C:\\windows\\$sys\\cmd.exe" /c "$2" 2>&1 | tr -d '\r')
}
round_trip() { # INSTALL-CMD UNINSTALL-CMD OVERRIDES WHAT
    local out
    snapshot before
    out=$(cmd_script "$1" install.cmd "$3"); status=$?
    ok $status "$4: install.cmd ($1-bit cmd): exit $status: $out"
    has "$out" "^install: scardssp installed" "$4: install.cmd"
    check_installed "$4, after install.cmd"
    out=$(cmd_script "$2" uninstall.cmd "$3"); status=$?
    ok $status "$4: uninstall.cmd ($2-bit cmd): exit $status: $out"
    snapshot after
    same_as before after "$4: the prefix after install.cmd, uninstall.cmd"
}
round_trip 64 32 "" "with atl100"
round_trip 32 64 ";atl100=d" "without atl100 (as on stock Windows)"

summary
