# GNU make part of dlls/winscard/Makefile.inc (see there).

winscard_SRCS = \
	dlls/winscard/bridge.c \
	dlls/winscard/calais.c \
	dlls/winscard/database.c \
	dlls/winscard/handle.c \
	dlls/winscard/strings.c \
	dlls/winscard/unixcall.c \
	dlls/winscard/winscard.c \
	core/cardtype.c \
	core/pcscvalues.c

winscard_LIBS = -shared -ladvapi32 -lntdll

$(foreach a,$(PE_ARCHS),$(eval $(call pe_link_rule,$(a),winscard/winscard.dll,$(winscard_SRCS), \
	dlls/winscard/winscard.spec,$(winscard_LIBS))))
$(foreach a,$(PE_ARCHS),$(foreach s,$(winscard_SRCS), \
	$(eval $(a)/$(s:.c=.o): dlls/winscard/unixlib.h dlls/winscard/unixcall.h dlls/winscard/calais.h \
		dlls/winscard/winscard_private.h dlls/winscard/winscard_defs.h)))

# The Unix side, a winelib module per architecture.  The 32-bit one needs
# gcc -m32 and Wine's i386-unix import libraries (libwine-dev:i386, unpacked
# beside the i386-windows ones given to configure).
WINSCARD_UNIX_FLAGS_x86_64 =
WINSCARD_UNIX_FLAGS_i686 = -m32 -L$(WINSCARD_UNIX_LIBDIR_i686)
WINSCARD_UNIX_CFLAGS = -O2 -g -Wall -Wextra -fno-strict-aliasing

winscard_unix_archs = x86_64 $(if $(winscard_unix_i686),i686)
ifeq ($(winscard_unix_i686),)
$(warning ************************************************************************)
$(warning winscard bridge: the 32-bit i686/winscard/winscard_pcsc.dll.so is NOT built:)
$(if $(winscard_have_m32),,$(warning   '$(CC) -m32' cannot link: install the Debian package gcc-multilib))
$(if $(winscard_have_i386_unix),,$(warning   no $(WINSCARD_UNIX_LIBDIR_i686)/libwinecrt0.a: unpack libwine-dev:i386 (tools/setup-debian)))
$(warning   32-bit programs in the prefix will get SCARD_E_NO_SERVICE from winscard)
$(warning ************************************************************************)
endif

define winscard_unix_rule
$(1)/winscard/winscard_pcsc.dll.so: dlls/winscard/unixlib.c dlls/winscard/unixlib.h dlls/winscard/winscard_pcsc.spec
	@mkdir -p $$(@D)
	$$(AM_V_CCLD)$$(WINEGCC) -shared $$(WINSCARD_UNIX_FLAGS_$(1)) $$(WINSCARD_UNIX_CFLAGS) -o $$@ \
		$$(filter %.c %.spec,$$^) -ldl
endef
$(foreach a,$(winscard_unix_archs),$(eval $(call winscard_unix_rule,$(a))))

# The Unix library of Wine >= 11.2 (unixcall.c): a plain 64-bit shared
# library, the same for the 64-bit and the 32-bit winscard.dll.
x86_64/winscard/winscard_pcsc.so: dlls/winscard/unixlib.c dlls/winscard/unixlib.h
	@mkdir -p $(@D)
	$(AM_V_CCLD)$(CC) -shared -fPIC $(WINSCARD_UNIX_CFLAGS) -o $@ $< -ldl

define winscard_implib_rule
$(1)/dlls/winscard/libwinscard.a: dlls/winscard/winscard.spec
	@mkdir -p $$(@D)
	$$(AM_V_GEN)$$(WINEBUILD) -b $$(PE_TARGET_$(1)) -w --implib -o $$@ --export $$<
endef
$(foreach a,$(PE_ARCHS),$(eval $(call winscard_implib_rule,$(a))))

# The conformance tests (tests/winscard/*.c, built by tests/tests.mk) link
# against the bridge's own import library: Wine's libwinscard.a lists only
# the functions Wine 8 implements.
winscard_test_names = $(basename $(notdir $(wildcard $(top_srcdir)/tests/winscard/*.c)))
$(foreach a,$(PE_ARCHS),$(foreach t,$(winscard_test_names), \
	$(eval $(a)/tests/winscard/$(t).exe: $(a)/dlls/winscard/libwinscard.a)))

# The plain-mingw program (mingw-w64's own winscard.h and libwinscard.a):
# what an ordinary Windows program built elsewhere does.
x86_64/tests/winscard-mingw/plain_t1.exe: tests/winscard-mingw/plain.c
	@mkdir -p $(@D)
	$(AM_V_CCLD)$(MINGW64_CC) -O2 -Wall -o $@ $< -lwinscard

# The APDU round-trip program of make bench (tools/bench), for Wine
x86_64/tests/winscard-mingw/bench.exe: tests/winscard-mingw/bench.c
	@mkdir -p $(@D)
	$(AM_V_CCLD)$(MINGW64_CC) -O2 -Wall -o $@ $< -lwinscard
