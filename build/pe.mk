# PE modules and programs, built with winegcc for each architecture in
# PE_ARCHS.  Objects go to ARCH/<source path>.o, so one source tree feeds
# x86_64/ and i686/ side by side.  (GNU make; included by Makefile.am.)

PE_ARCHS = x86_64 i686
PE_TARGET_x86_64 = x86_64-w64-mingw32
PE_TARGET_i686 = i686-w64-mingw32
PE_WIDL_x86_64 = -m64
PE_WIDL_i686 = -m32
PE_CC = $(WINEGCC) -b $(PE_TARGET_$(1)) -L$(1)/lib -L$(WINE_PE_LIBDIR_$(1))
PE_CPPFLAGS = -D__WINESRC__ -DWINE_UNICODE_NATIVE \
	-I$(top_builddir)/include -I$(top_srcdir)/include -I$(top_srcdir)/core \
	-I$(top_srcdir)/tests/include
PE_CFLAGS = -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers \
	-fno-strict-aliasing -Werror=implicit-function-declaration
# plain mingw-w64 programs (tests/abi, tests/release) built against
# mingw-w64's own scardssp.h, whose two typedefs without a type GCC 14 rejects
MINGW_CFLAGS = -O2 -g -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers -Wno-implicit-int
WIDL_FLAGS = -I$(top_srcdir)/include -I$(top_builddir)/include -L$(WINE_PE_LIBDIR_x86_64)
# type libraries: named types where Wine's IDL has anonymous ones (include/scardssp.idl)
WIDL_TYPELIB_FLAGS = -DSCARDSSP_TYPELIB -DGUID_DEFINED -D_userHGLOBAL=__wine_userHGLOBAL \
	-DuserHGLOBAL=__wine_userHGLOBAL_t -DwireHGLOBAL=__wine_wireHGLOBAL -DHGLOBAL=__wine_HGLOBAL

define pe_compile_rules
$(1)/%.o: %.c
	@mkdir -p $$(@D)
	$$(AM_V_CC)$$(call PE_CC,$(1)) -I$$(dir $$*) $$(PE_CPPFLAGS) $$(PE_CFLAGS) -MMD -MP -c -o $$@ $$<
$(1)/%.o: $(1)/%.c
	$$(AM_V_CC)$$(call PE_CC,$(1)) $$(PE_CPPFLAGS) -I$$(<D) $$(PE_CFLAGS) -MMD -MP -c -o $$@ $$<
$(1)/%_p.c: %.idl
	@mkdir -p $$(@D)
	$$(AM_V_GEN)$$(WIDL) $$(WIDL_FLAGS) $$(PE_WIDL_$(1)) -p -o $$@ $$<
$(1)/%_l.res: %.idl
	@mkdir -p $$(@D)
	$$(AM_V_GEN)$$(WIDL) $$(WIDL_FLAGS) $$(WIDL_TYPELIB_FLAGS) $$(PE_WIDL_$(1)) -t -o $$@ $$<
endef
$(foreach a,$(PE_ARCHS),$(eval $(call pe_compile_rules,$(a))))

# Wine 8's libwinscard.a lists only what its stub implements; mingw-w64's
# lists every Windows export.  ARCH/lib comes first on the link path.
pe_implibs = $(foreach a,$(PE_ARCHS),$(a)/lib/libwinscard.a)
$(foreach a,$(PE_ARCHS),$(eval $(a)/lib/%.a: /usr/$(PE_TARGET_$(a))/lib/%.a ; @mkdir -p $$(@D) && cp $$< $$@))

%_r.res: %.idl
	@mkdir -p $(@D)
	$(AM_V_GEN)$(WIDL) $(WIDL_FLAGS) -r -o $@ $<
%.res: %.rc
	@mkdir -p $(@D)
	$(AM_V_GEN)$(WRC) $(WRC_FLAGS) $(WRCFLAGS) -I$(top_srcdir)/include -I$(top_builddir)/include -I$(<D) -I$(@D) -o $@ $<

# $(call pe_link_rule,ARCH,OUTPUT,SOURCES,EXTRA INPUTS,FLAGS): links OUTPUT
# from the objects of SOURCES plus EXTRA INPUTS (.spec, .res, .o, .a).
define pe_link_rule
$(1)/$(2): $(addprefix $(1)/,$(patsubst %.c,%.o,$(3))) $(4) | $(1)/lib/libwinscard.a
	@mkdir -p $$(@D)
	$$(AM_V_CCLD)$$(call PE_CC,$(1)) -o $$@ $$(filter %.o %.res %.spec %.a,$$^) $(5)
endef

-include $(shell find $(PE_ARCHS) -name '*.d' 2>/dev/null)

# widl's proxy sources are intermediates of the pattern rules: keep them, or
# every make would delete them and relink the DLLs
.PRECIOUS: $(foreach a,$(PE_ARCHS),$(a)/%_p.c)
