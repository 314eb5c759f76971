# Conformance tests under Wine (GNU make; included by tests/Makefile.inc
# past automake, which cannot parse these computed lists).
#
# Every tests/AREA/*.c is one test program per architecture
# (ARCH/tests/AREA/NAME.exe) linked with $(AREA_test_LIBS); every
# tests/scripts/*.vbs and *.js is one script test per architecture
# (copied to ARCH/tests/scripts/).  tests/run-wine runs them all in the
# scratch prefix tests/prefix that tools/install-prefix prepares.

pe_test_areas = scardssp cardsvc winscard card regfree stress
scardssp_test_LIBS = -mconsole -lole32 -loleaut32 -luuid
cardsvc_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lwinscard
card_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lwinscard
regfree_test_LIBS = -mconsole -lole32 -loleaut32 -luuid
stress_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lwinscard -lpsapi
# winscard tests also link the bridge's own libwinscard.a (dlls/winscard/winscard.mk)
winscard_test_LIBS = -mconsole -ladvapi32

pe_test_names = $(basename $(notdir $(wildcard $(top_srcdir)/tests/$(1)/*.c)))
pe_tests = $(foreach a,$(PE_ARCHS),$(foreach area,$(pe_test_areas), \
	$(addprefix $(a)/tests/$(area)/,$(addsuffix .exe,$(call pe_test_names,$(area))))))
$(foreach a,$(PE_ARCHS),$(foreach area,$(pe_test_areas),$(foreach t,$(call pe_test_names,$(area)), \
	$(eval $(call pe_link_rule,$(a),tests/$(area)/$(t).exe,tests/$(area)/$(t).c include/scardssp_i.c,,$($(area)_test_LIBS))))))

# regfree.exe runs beside an unregistered copy of the DLL and the example manifest
define regfree_rules
$(1)/tests/regfree/regfree.exe: $(1)/tests/regfree/scardssp.dll $(1)/tests/regfree/regfree.exe.manifest
$(1)/tests/regfree/scardssp.dll: $(1)/scardssp.dll
	@mkdir -p $$(@D) && cp $$< $$@
$(1)/tests/regfree/regfree.exe.manifest: examples/scardssp.manifest
	@mkdir -p $$(@D) && cp $$< $$@
endef
$(foreach a,$(PE_ARCHS),$(eval $(call regfree_rules,$(a))))

# tests/scripts/*cardflow.* run once per card personality, as NAME_t0 and
# NAME_t1 (run-wine gives each a reader stack).  (A .vbs and a .js of the
# same name would share a log file.)
script_sources = $(notdir $(wildcard $(top_srcdir)/tests/scripts/*.vbs $(top_srcdir)/tests/scripts/*.js))
card_scripts = $(filter %cardflow.vbs %cardflow.js,$(script_sources))
script_tests = $(foreach a,$(PE_ARCHS),$(addprefix $(a)/tests/scripts/, \
	$(filter-out $(card_scripts),$(script_sources)) \
	$(foreach f,$(card_scripts),$(basename $(f))_t0$(suffix $(f)) $(basename $(f))_t1$(suffix $(f)))))
define script_copy_rule
$(1)/tests/scripts/%: tests/scripts/%
	@mkdir -p $$(@D) && cp $$< $$@
$(1)/tests/scripts/%_t0.vbs $(1)/tests/scripts/%_t1.vbs: tests/scripts/%.vbs
	@mkdir -p $$(@D) && cp $$< $$@
$(1)/tests/scripts/%_t0.js $(1)/tests/scripts/%_t1.js: tests/scripts/%.js
	@mkdir -p $$(@D) && cp $$< $$@
endef
$(foreach a,$(PE_ARCHS),$(eval $(call script_copy_rule,$(a))))

check_DATA += $(pe_tests) $(script_tests)
TESTS += $(pe_tests) $(script_tests)

# make stress: the stress programs (tests/stress) in their full form, both
# architectures and personalities; make check runs their short form
stress_tests = $(filter %/tests/stress/stress_t0.exe %/tests/stress/stress_t1.exe,$(pe_tests))
stress: tests/prefix.stamp $(stress_tests)
	@status=0; for t in $(stress_tests); do \
	    echo "== $$t"; \
	    ( $(AM_TESTS_ENVIRONMENT) SCARDSSP_STRESS=full; export SCARDSSP_STRESS; $(top_srcdir)/tests/run-wine $$t ) || status=1; \
	done; exit $$status
.PHONY: stress
