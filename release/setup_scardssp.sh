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
read -r main_folder main_loader _ <<< "$slots"
loader() { if [ "$1" = wine64 ]; then echo "$wine64"; else echo "$wine"; fi; }
# wineserver: $WINESERVER, else on PATH, else beside the loader or in a
# distribution's Wine folder (Debian sid keeps it off PATH)
wineserver=${WINESERVER:-$(command -v wineserver || true)}
for dir in "$(dirname "$(readlink -f "$wine")")" /usr/lib/wine /usr/lib/x86_64-linux-gnu/wine; do
    [ -n "$wineserver" ] || [ ! -x "$dir/wineserver" ] || wineserver=$dir/wineserver
done
# waits until the prefix's server (and whatever it still runs) has finished
settle() { timeout 120 "${wineserver:-wineserver}" -w >/dev/null 2>&1 || sleep 5; }
# Runs a program of the slot's architecture from the bundle folder, as
# often as it takes to print a line matching PATTERN (3 tries), and prints
# its output.  A Wine program that ends without having run (a busy machine,
# a prefix being updated) says nothing: the script never takes that silence
# for an answer such as "no override".
ask() { # PATTERN BUNDLE-FOLDER LOADER PROGRAM [ARG...]
    local pattern=$1 folder=$2 l=$3 out try
    shift 3
    for try in 1 2 3; do
        out=$(cd "$bundle/$folder" && "$(loader "$l")" "$@" 2>/dev/null </dev/null | tr -d '\r') || true
        if grep -qE -- "$pattern" <<< "$out"; then printf '%s\n' "$out"; return 0; fi
        settle
    done
    return 1
}
# the Unix paths of the slots' C:\windows\FOLDER, as Wine maps them
# (empty where Wine does not answer)
for dir in $(awk '{ print $3 }' <<< "$slots"); do
    path=$(ask '^/' "$main_folder" "$main_loader" winepath.exe -u "C:\\windows\\$dir" | head -n 1) || true
    printf -v "unixdir_$dir" '%s' "$(readlink -f "$path" 2>/dev/null || echo "$path")"
done
unixdir() { local var=unixdir_$1; echo "${!var}"; }
# (un)registers C:\windows\FOLDER\scardssp.dll with the regsvr32 of the
# loader's architecture, as often as it takes to succeed (3 tries, as ask)
regsvr() { # LOADER FOLDER [/u]
    local try
    for try in 1 2 3; do
        "$(loader "$1")" "C:\\windows\\$2\\regsvr32.exe" /s ${3:-} scardssp.dll && return 0
        settle
    done
    return 1
}
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
        settle
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
    out=$(ask '^(winscard_pcsc\.so|winscard_pcsc\.dll\.so|none)$' "$1" "$2" scardssp-status.exe --route) ||
        die "$1: the status helper does not tell which Unix side of the bridge loads (scardssp-status.exe --route)"
    route=$(head -n 1 <<< "$out")
    route_detail=$(sed -n 2p <<< "$out")
}

# What the registry of the slot's architecture says (the status helper's
# --registry): the line NAME ("scardssp registered", "winscard override")
registry() { # NAME BUNDLE-FOLDER LOADER
    local out
    out=$(ask '^winscard override: ' "$2" "$3" scardssp-status.exe --registry) ||
        die "$2: the status helper does not read the registry of $prefix (scardssp-status.exe --registry)"
    out=$(sed -n "s/^$1: //p" <<< "$out")
    case "$out" in error*) die "$2: $1: the registry of $prefix answers $out" ;; esac
    echo "$out"
}
registered() { # BUNDLE-FOLDER LOADER: is a scardssp registered in that architecture's view?
    local where
    where=$(registry "scardssp registered" "$1" "$2") || exit 1
    [ "$where" != no ]
}
# the user's winscard override: its value, "none" or "no key" (the
# override key itself is absent)
override_state() { registry "winscard override" "$main_folder" "$main_loader"; }
override_value() { # prints the winscard override, or nothing
    local state
    state=$(override_state) || exit 1
    case "$state" in "none"|"no key") ;; *) echo "$state" ;; esac
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
        prev=$(override_state)
        case "$prev" in
            "no key") note "override-key-absent"; note "override -" ;;
            none) note "override -" ;;
            *) note "override $prev" ;;
        esac
    fi
    write_override native,builtin
}
# Sets the winscard override to VALUE, or takes it away ("-"), and reads
# it back (3 tries).
write_override() { # VALUE
    local try value
    for try in 1 2 3; do
        if [ "$1" = - ]; then "$wmain" reg delete "$overrides" /v winscard /f >/dev/null 2>&1 || true
        else "$wmain" reg add "$overrides" /v winscard /d "$1" /f >/dev/null 2>&1 || true; fi
        value=$(override_value) && [ "$value" = "${1#-}" ] && return 0
        settle
    done
    die "could not set DllOverrides winscard to $1 in $prefix"
}
restore_override() {
    local line prev out
    line=$(grep '^override ' "$record" || true)
    [ -n "$line" ] || return 0
    prev=${line#override }
    write_override "$prev"
    if [ "$prev" = - ] && recorded override-key-absent; then
        # the key install created, unless overrides were added to it since
        out=$("$wmain" reg query "$overrides" 2>/dev/null | tr -d '\r') || true
        if grep -q 'DllOverrides$' <<< "$out" && ! grep -q '^    ' <<< "$out"; then
            "$wmain" reg delete "$overrides" /f >/dev/null 2>&1 || true
        fi
        forget override-key-absent
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
        if ! recorded "registered $bundle_dir" && registered "$bundle_dir" "$l"; then note "was-registered $bundle_dir"; fi
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
        regsvr "$l" "$dir" || die "regsvr32 of $dir\\scardssp.dll failed"
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
        [ -n "$sys" ] && [ -d "$sys" ] || die "cannot find C:\\windows\\$dir of $prefix through $(loader "$l")"
        if recorded "registered $bundle_dir"; then
            regsvr "$l" "$dir" /u || echo "$me: WARNING: regsvr32 /u of $dir\\scardssp.dll failed"
            forget "registered $bundle_dir"
        fi
        for f in scardssp.dll winscard.dll $unix_sides; do unplace "$dir" "$f"; done
        if recorded "was-registered $bundle_dir"; then
            regsvr "$l" "$dir" || echo "$me: WARNING: could not register the restored $dir\\scardssp.dll again"
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
        helper=$(ask '^scardssp\.dll: ' "$bundle_dir" "$l" scardssp-status.exe | sed 's/^/           /') || true
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
