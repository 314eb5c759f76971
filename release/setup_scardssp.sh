#!/bin/bash
# Puts scardssp @VERSION@ into a Wine prefix, takes it out again, or tells
# what a prefix holds:
#   ./setup_scardssp.sh install [--no-bridge] [PREFIX]
#   ./setup_scardssp.sh uninstall [PREFIX]
#   ./setup_scardssp.sh status [PREFIX]
# PREFIX: $WINEPREFIX, else ~/.wine; it must already be a prefix.
# install copies x64/ into system32 and x32/ into syswow64 (a 32-bit
# prefix: x32/ into system32), registers each copy with the regsvr32 of
# its architecture, and installs the winscard bridge with DllOverrides
# winscard=native,builtin, unless --no-bridge keeps Wine's own winscard.
# For each architecture the bridge is winscard.dll and the Unix side that
# this Wine loads for it, as the status helper finds (--route): the Unix
# library winscard_pcsc.so (Wine >= 11.2), else the winelib module
# winscard_pcsc.dll.so; where neither loads (32-bit programs in Wine's new
# WoW64 mode before 11.2) that architecture keeps Wine's own winscard,
# and scardssp answers the card database itself.  Every file it replaces is kept
# as NAME.old; what it did is written to PREFIX/.scardssp/record, which
# uninstall reads to undo exactly that.  Running install again is
# harmless.  Wine: $WINE (default wine) and $WINE64 (default wine64, else
# /usr/lib/wine/wine64, else $WINE, which runs both on Wine >= 9).
set -eu
version=@VERSION@
bundle=$(cd "$(dirname "$(readlink -f "$0")")" && pwd)
me=setup_scardssp
clsid_scard='{1461AAC7-6810-11D0-918F-00AA00C18068}'
overrides='HKCU\Software\Wine\DllOverrides'

die() { echo "$me: $*" >&2; exit 1; }
usage() { echo "usage: $0 install [--no-bridge] [PREFIX] | uninstall [PREFIX] | status [PREFIX]" >&2; exit 2; }

action=${1:-}
[ $# -gt 0 ] && shift
case "$action" in install|uninstall|status) ;; *) usage ;; esac
bridge=1
prefix=
while [ $# -gt 0 ]; do
    case "$1" in
        --no-bridge) [ "$action" = install ] || usage; bridge=0 ;;
        -*) usage ;;
        *) [ -z "$prefix" ] || usage; prefix=$1 ;;
    esac
    shift
done
prefix=${prefix:-${WINEPREFIX:-$HOME/.wine}}
# never create a prefix by accident
[ -f "$prefix/system.reg" ] || die "$prefix is not a Wine prefix (no system.reg); make one first: WINEPREFIX=$prefix wineboot -i"
prefix=$(cd "$prefix" && pwd)
state=$prefix/.scardssp
record=$state/record
export WINEPREFIX=$prefix WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winedbg.exe=d"

if [ -n "${WINE:-}" ] && [ -x "$WINE" ]; then wine=$WINE; else wine=$(command -v wine || true); fi
[ -n "$wine" ] || die "wine not found (set WINE)"
if [ -n "${WINE64:-}" ] && [ -x "$WINE64" ]; then wine64=$WINE64
elif command -v wine64 >/dev/null; then wine64=$(command -v wine64)
elif [ -x /usr/lib/wine/wine64 ]; then wine64=/usr/lib/wine/wine64
else wine64=$wine
fi

# The prefix's architectures.  A slot is "BUNDLE-FOLDER LOADER WINDOWS-FOLDER".
case "$(sed -n 's/^#arch=//p' "$prefix/system.reg" | head -n 1)" in
    win32) arch=win32; wmain=$wine; slots="x32 wine system32" ;;
    *) arch=win64; wmain=$wine64; slots="x64 wine64 system32"$'\n'"x32 wine syswow64" ;;
esac
# the Unix paths of the slots' C:\windows\FOLDER, as Wine maps them
for dir in $(awk '{ print $3 }' <<< "$slots"); do
    path=$("$wmain" winepath -u "C:\\windows\\$dir" 2>/dev/null | tr -d '\r')
    printf -v "unixdir_$dir" '%s' "$(readlink -f "$path" 2>/dev/null || echo "$path")"
done
unixdir() { local var=unixdir_$1; echo "${!var}"; }
loader() { if [ "$1" = wine64 ]; then echo "$wine64"; else echo "$wine"; fi; }
# runs a program of C:\windows\FOLDER with the loader of that architecture
wrun() { local l=$1 dir=$2; shift 2; "$(loader "$l")" "C:\\windows\\$dir\\$1" "${@:2}"; }
# Can this Wine run the slot's programs?  (A 32-bit program under a Wine
# without wine32 may exit 0 having run nothing: ask for an answer.)  The
# first program in a prefix can be slow on a busy machine (Wine starts its
# server and services, and updates a prefix made by another Wine build):
# a try that times out (120 s) is "slow" and tried again after the
# prefix's wineserver has finished, up to 4 tries; a program that ends
# without answering "cannot run", after 3 tries.  When it fails, it says
# which, with the last try's exit status and output.
runs() { # BUNDLE-FOLDER LOADER FOLDER
    local sys out status try slow=0 ended=0
    sys=$(unixdir "$3")
    if [ ! -f "$sys/cmd.exe" ]; then echo "$me: probe: no cmd.exe in $sys" >&2; return 1; fi
    for try in 1 2 3 4; do
        out=$(timeout -k 10 120 "$(loader "$2")" "C:\\windows\\$3\\cmd.exe" /c echo scardssp-probe 2>&1 </dev/null) &&
            status=0 || status=$?
        grep -q scardssp-probe <<< "$out" && return 0
        if [ "$status" = 124 ] || [ "$status" = 137 ]; then slow=$((slow + 1)); else ended=$((ended + 1)); fi
        [ "$ended" -lt 3 ] || break
        # let the prefix's server (and whatever it still runs) finish first
        timeout 120 "${WINESERVER:-wineserver}" -w >/dev/null 2>&1 || sleep 5
    done
    if [ "$ended" = 0 ]; then
        echo "$me: probe: $(loader "$2") C:\\windows\\$3\\cmd.exe did not answer within 120 s, $try times (a machine this slow is not supported)" >&2
    else
        echo "$me: probe: $(loader "$2") C:\\windows\\$3\\cmd.exe /c echo ended without running ($ended times, $slow timed out), last exit status $status, output:" >&2
        printf '%s\n' "${out:-(none)}" | tr -d '\r' | sed 's/^/    /' >&2
    fi
    return 1
}

# The bridge's Unix sides, one per route (dlls/winscard/unixcall.c)
unix_sides="winscard_pcsc.so winscard_pcsc.dll.so"
# Sets route to the Unix side that this Wine loads for the slot's
# architecture from the bundle, or "none", and route_detail to how loading
# it went.
bridge_route() { # BUNDLE-FOLDER LOADER
    local out
    out=$(cd "$bundle/$1" && "$(loader "$2")" scardssp-status.exe --route 2>/dev/null | tr -d '\r') || true
    route_detail=$(sed -n 2p <<< "$out")
    route_detail=${route_detail:-the status helper did not answer}
    case "$(head -n 1 <<< "$out")" in
        winscard_pcsc.so) route=winscard_pcsc.so ;;
        winscard_pcsc.dll.so) route=winscard_pcsc.dll.so ;;
        *) route=none ;;
    esac
}

registered() { # LOADER FOLDER: is a scardssp CLSID registered in that architecture's view?
    wrun "$1" "$2" reg.exe query "HKLM\\Software\\Classes\\CLSID\\$clsid_scard\\InprocServer32" >/dev/null 2>&1
}
override_value() { # prints the winscard override, or nothing
    "$wmain" reg query "$overrides" /v winscard 2>/dev/null | tr -d '\r' | awk '$1 == "winscard" { print $3 }'
}

recorded() { [ -f "$record" ] && grep -qxF "$1" "$record"; }
note() { recorded "$1" || echo "$1" >> "$record"; }
forget() { grep -vxF "$1" "$record" > "$record.new" || true; mv "$record.new" "$record"; }

# Puts SOURCE at C:\windows\FOLDER\NAME, keeping what was there as NAME.old.
place() { # SOURCE FOLDER NAME MODE
    local path
    path=$(unixdir "$2")/$3
    if ! recorded "added $2/$3" && ! recorded "replaced $2/$3"; then
        if [ -e "$path" ]; then
            mv -f "$path" "$path.old"; note "replaced $2/$3"
        else
            note "added $2/$3"
        fi
    fi
    install -m "$4" "$1" "$path"
}
# Takes C:\windows\FOLDER\NAME away again, putting back what place() kept.
unplace() { # FOLDER NAME
    local path
    path=$(unixdir "$1")/$2
    if recorded "replaced $1/$2"; then
        if [ -e "$path.old" ]; then mv -f "$path.old" "$path"
        else echo "$me: WARNING: $path.old is gone: $path removed, not restored"; rm -f "$path"; fi
        forget "replaced $1/$2"
    elif recorded "added $1/$2"; then
        rm -f "$path"; forget "added $1/$2"
    fi
}

set_override() {
    local prev
    if ! grep -q '^override ' "$record"; then
        prev=$(override_value)
        if "$wmain" reg query "$overrides" >/dev/null 2>&1; then note "override ${prev:--}"; else note "override-key-absent"; note "override -"; fi
    fi
    "$wmain" reg add "$overrides" /v winscard /d native,builtin /f >/dev/null
}
restore_override() {
    local line prev
    line=$(grep '^override ' "$record" || true)
    [ -n "$line" ] || return 0
    prev=${line#override }
    if [ "$prev" = - ]; then
        "$wmain" reg delete "$overrides" /v winscard /f >/dev/null 2>&1 || true
        if recorded override-key-absent; then
            # the key install created, unless overrides were added to it since
            "$wmain" reg query "$overrides" 2>/dev/null | tr -d '\r' | grep -q '^    ' ||
                "$wmain" reg delete "$overrides" /f >/dev/null 2>&1 || true
            forget override-key-absent
        fi
    else
        "$wmain" reg add "$overrides" /v winscard /d "$prev" /f >/dev/null
    fi
    forget "$line"
}

do_install() {
    local bundle_dir l dir sys f route route_detail done_any=0 bridged=0
    mkdir -p "$state"
    touch "$record"
    # (an install over another version records the new one)
    recorded "version $version" || { sed -i '/^version /d' "$record"; note "version $version"; }
    while read -r bundle_dir l dir; do
        sys=$(unixdir "$dir")
        [ -n "$sys" ] && [ -d "$sys" ] || die "cannot find C:\\windows\\$dir of $prefix through $(loader "$l")"
        if ! runs "$bundle_dir" "$l" "$dir"; then
            [ "$bundle_dir" = x32 ] && [ "$arch" = win64 ] || die "$(loader "$l") cannot run programs in $prefix"
            echo "$me: NOTE: this Wine runs no 32-bit programs (install wine32): the 32-bit part is not installed"
            continue
        fi
        # a scardssp registered before us is registered again by uninstall
        if ! recorded "registered $bundle_dir" && registered "$l" "$dir"; then note "was-registered $bundle_dir"; fi
        place "$bundle/$bundle_dir/scardssp.dll" "$dir" scardssp.dll 644
        route=none
        [ $bridge = 0 ] || bridge_route "$bundle_dir" "$l"
        # --no-bridge, or another route, after an earlier install takes out what is not used
        for f in winscard.dll $unix_sides; do
            case "$f" in winscard.dll|"$route") [ "$route" = none ] || continue ;; esac
            unplace "$dir" "$f"
        done
        case $route in
            none) [ $bridge = 0 ] || echo "$me: NOTE: $bundle_dir: the bridge's Unix side does not load in this Wine" \
                      "($route_detail): programs of this architecture keep Wine's own winscard" ;;
            *) place "$bundle/$bundle_dir/winscard.dll" "$dir" winscard.dll 644
               place "$bundle/$bundle_dir/$route" "$dir" "$route" 755
               [ "$route_detail" = "pcsc-lite loads" ] || echo "$me: WARNING: $bundle_dir: $route_detail"
               echo "$me: $bundle_dir: winscard bridge with its Unix side $route"
               bridged=1 ;;
        esac
        wrun "$l" "$dir" regsvr32.exe /s scardssp.dll || die "regsvr32 of $dir\\scardssp.dll failed"
        note "registered $bundle_dir"
        echo "$me: scardssp.dll ($bundle_dir) installed in $sys and registered"
        done_any=1
    done <<< "$slots"
    [ $done_any = 1 ] || die "nothing installed"
    if [ $bridged = 1 ]; then
        set_override
        echo "$me: winscard bridge installed (DllOverrides winscard=native,builtin)"
    else
        restore_override
        echo "$me: winscard bridge not installed: Wine's own winscard is used"
    fi
    echo "$me: scardssp $version installed in $prefix (record: $record)"
}

do_uninstall() {
    local bundle_dir l dir sys f
    [ -f "$record" ] || { echo "$me: scardssp is not installed in $prefix (no $record)"; return 0; }
    while read -r bundle_dir l dir; do
        sys=$(unixdir "$dir")
        if recorded "registered $bundle_dir"; then
            wrun "$l" "$dir" regsvr32.exe /s /u scardssp.dll || echo "$me: WARNING: regsvr32 /u of $dir\\scardssp.dll failed"
            forget "registered $bundle_dir"
        fi
        for f in scardssp.dll winscard.dll $unix_sides; do unplace "$dir" "$f"; done
        if recorded "was-registered $bundle_dir"; then
            wrun "$l" "$dir" regsvr32.exe /s scardssp.dll || echo "$me: WARNING: could not register the restored $dir\\scardssp.dll again"
            forget "was-registered $bundle_dir"
        fi
        echo "$me: scardssp.dll ($bundle_dir) removed from $sys"
    done <<< "$slots"
    restore_override
    grep -v '^version ' "$record" > "$record.new" || true
    if [ -s "$record.new" ]; then
        echo "$me: WARNING: left in $record (not undone):"; cat "$record.new"
        rm -f "$record.new"
        return 1
    fi
    rm -rf "$state"
    echo "$me: scardssp removed from $prefix; the prefix is as it was before install"
}

do_status() {
    local bundle_dir l dir ov helper
    echo "prefix:    $prefix ($arch, $("$wmain" --version 2>/dev/null))"
    if [ -f "$record" ]; then
        echo "installed: scardssp $(sed -n 's/^version //p' "$record" | head -n 1) by $me (this script: $version)"
    else
        echo "installed: no (no $record)"
    fi
    ov=$(override_value)
    while read -r bundle_dir l dir; do
        if ! runs "$bundle_dir" "$l" "$dir"; then echo "$bundle_dir:       this Wine runs no programs of this architecture"; continue; fi
        # the helper reports the DLL's version resource, the winscard that
        # loads, and what the resource manager answers (ISCardDatabase)
        helper=$(cd "$bundle/$bundle_dir" && "$(loader "$l")" scardssp-status.exe 2>/dev/null | tr -d '\r' | sed 's/^/           /') || true
        echo "$bundle_dir ($dir):"
        printf '%s\n' "${helper:-           the status helper did not run}"
    done <<< "$slots"
    # (an architecture without the bridge's files loads Wine's own: the lines above say which)
    case "$ov" in
        native*) echo "winscard:  the bridge is selected where installed (DllOverrides winscard=$ov)" ;;
        *) echo "winscard:  Wine's own (DllOverrides winscard=${ov:-<not set>})" ;;
    esac
}

case "$action" in
    install) do_install ;;
    uninstall) do_uninstall ;;
    status) do_status ;;
esac
