# Conformance tests under Wine (GNU make; included by tests/Makefile.inc
# past automake, which cannot parse these computed lists).
#
# Every tests/AREA/*.c is one test program per architecture
# (ARCH/tests/AREA/NAME.exe) linked with $(AREA_test_LIBS), run as itself
# or, for the programs that need a card, once per personality (card_tests
# below); every tests/scripts/*.vbs and *.js is one script test per
# architecture (copied to ARCH/tests/scripts/).  tests/run-wine runs them
# all in the scratch prefix tests/prefix that tools/install-prefix prepares.

pe_test_areas = scardssp cardsvc winscard card regfree stress faultinj
scardssp_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lversion
cardsvc_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lwinscard
card_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lwinscard
regfree_test_LIBS = -mconsole -lole32 -loleaut32 -luuid
stress_test_LIBS = -mconsole -lole32 -loleaut32 -luuid -lwinscard -lpsapi
faultinj_test_LIBS = -mconsole -lole32 -loleaut32 -luuid
# winscard tests also link the bridge's own libwinscard.a (dlls/winscard/winscard.mk)
winscard_test_LIBS = -mconsole -ladvapi32

# The programs that need a card, AREA/NAME:PERSONALITIES.  Each is built
# once per architecture (ARCH/tests/AREA/NAME.exe) and run as NAME_t0.exe
# and/or NAME_t1.exe, hard links whose name tells tests/run-wine which
# reader stack to start; the program reads the personality from the stack
# (VCARD_PROTOCOL, tests/include/cardstack.h) and fails without one.  The
# card database tests use the database and the readers, not the card's
# protocol: T=1 only.
card_tests = \
	card/card:t0:t1 \
	card/faults:t0:t1 \
	card/pcscvalues:t0:t1 \
	stress/stress:t0:t1 \
	cardsvc/locate:t0:t1 \
	cardsvc/selectdlg:t0:t1 \
	cardsvc/database:t1 \
	winscard/bridge:t0:t1 \
	winscard/database:t1

card_test_program = $(firstword $(subst :, ,$(1)))
card_test_personalities = $(wordlist 2,3,$(subst :, ,$(1)))
card_test_programs = $(foreach t,$(card_tests),$(call card_test_program,$(t)))
card_test_runs = $(foreach t,$(card_tests),$(foreach p,$(call card_test_personalities,$(t)), \
	$(call card_test_program,$(t))_$(p)))
pe_test_names = $(basename $(notdir $(wildcard $(top_srcdir)/tests/$(1)/*.c)))
pe_test_programs = $(foreach area,$(pe_test_areas),$(addprefix $(area)/,$(call pe_test_names,$(area))))
pe_tests = $(foreach a,$(PE_ARCHS),$(addprefix $(a)/tests/,$(addsuffix .exe, \
	$(filter-out $(card_test_programs),$(pe_test_programs)) $(card_test_runs))))
$(foreach a,$(PE_ARCHS),$(foreach area,$(pe_test_areas),$(foreach t,$(call pe_test_names,$(area)), \
	$(eval $(call pe_link_rule,$(a),tests/$(area)/$(t).exe,tests/$(area)/$(t).c include/scardssp_i.c,,$($(area)_test_LIBS))))))
# (a hard link keeps NAME.exe's time stamp: nothing to redo on the next make)
define card_test_rule
$(1)/tests/$(2)_$(3).exe: $(1)/tests/$(2).exe
	$$(AM_V_GEN)ln -f $$< $$@ 2>/dev/null || cp -p $$< $$@
endef
$(foreach a,$(PE_ARCHS),$(foreach t,$(card_tests),$(foreach p,$(call card_test_personalities,$(t)), \
	$(eval $(call card_test_rule,$(a),$(call card_test_program,$(t)),$(p))))))

# (pcscvalues.c asks dlls/winscard/builtin.h which winscard it got)
$(foreach a,$(PE_ARCHS),$(eval $(a)/tests/card/pcscvalues.o: PE_CPPFLAGS += -I$(top_srcdir)/dlls/winscard))

# regfree.exe runs beside an unregistered copy of the release DLL and the example manifest
define regfree_rules
$(1)/tests/regfree/regfree.exe: $(1)/tests/regfree/scardssp.dll $(1)/tests/regfree/regfree.exe.manifest
$(1)/tests/regfree/scardssp.dll: $(1)/release/scardssp.dll
	@mkdir -p $$(@D) && cp $$< $$@
$(1)/tests/regfree/regfree.exe.manifest: examples/scardssp.manifest
	@mkdir -p $$(@D) && cp $$< $$@
endef
$(foreach a,$(PE_ARCHS),$(eval $(call regfree_rules,$(a))))

# faultinj.exe loads ARCH/scardssp.dll, which finds the fault-injecting
# winscard.dll (a test double, never installed) beside the program
define faultinj_rules
$(1)/tests/faultinj/faultinj.exe: $(1)/tests/faultinj/winscard.dll $(1)/scardssp.dll
endef
$(foreach a,$(PE_ARCHS),$(eval $(call pe_link_rule,$(a),tests/faultinj/winscard.dll,tests/faultinj/double/winscard.c,tests/faultinj/double/winscard.spec,-shared)))
$(foreach a,$(PE_ARCHS),$(eval $(call faultinj_rules,$(a))))

# tests/scripts/*cardflow.* run once per card personality, as NAME_t0 and
# NAME_t1 (run-wine gives each a reader stack).  (A .vbs and a .js of the
# same name would share a log file.)  One pattern rule per copy: a rule with
# both as targets makes only one of them, and GNU make 4.4 (Debian 13)
# then deletes the other after make check, before the other Wine columns.
script_sources = $(notdir $(wildcard $(top_srcdir)/tests/scripts/*.vbs $(top_srcdir)/tests/scripts/*.js))
card_scripts = $(filter %cardflow.vbs %cardflow.js,$(script_sources))
script_tests = $(foreach a,$(PE_ARCHS),$(addprefix $(a)/tests/scripts/, \
	$(filter-out $(card_scripts),$(script_sources)) \
	$(foreach f,$(card_scripts),$(basename $(f))_t0$(suffix $(f)) $(basename $(f))_t1$(suffix $(f)))))
define script_copy_rule
$(1)/tests/scripts/%: tests/scripts/%
	@mkdir -p $$(@D) && cp $$< $$@
$(foreach p,t0 t1,$(foreach x,vbs js,
$(1)/tests/scripts/%_$(p).$(x): tests/scripts/%.$(x)
	@mkdir -p $$(@D) && cp $$< $$@))
endef
$(foreach a,$(PE_ARCHS),$(eval $(call script_copy_rule,$(a))))

check_DATA += $(pe_tests) $(script_tests)
TESTS += $(pe_tests) $(script_tests)

# tests/builtin: scardssp over Wine's own winscard.dll (a prefix without the
# bridge), run by tests/run-matrix under Wine >= 10 only, as builtin_t0 and
# builtin_t1 (Wine 8's own winscard is a stub)
builtin_tests = $(foreach a,$(PE_ARCHS),$(a)/tests/builtin/builtin_t0.exe $(a)/tests/builtin/builtin_t1.exe)
$(foreach a,$(PE_ARCHS),$(foreach t,builtin_t0 builtin_t1, \
	$(eval $(call pe_link_rule,$(a),tests/builtin/$(t).exe,tests/builtin/builtin.c include/scardssp_i.c,,$(card_test_LIBS) -ladvapi32))))
check_DATA += $(builtin_tests)
print-builtin-tests:
	@echo $(builtin_tests)

# make stress: the stress programs (tests/stress) in their full form, both
# architectures and personalities; make check runs their short form
stress_tests = $(filter %/tests/stress/stress_t0.exe %/tests/stress/stress_t1.exe,$(pe_tests))
stress: tests/prefix.stamp $(stress_tests)
	@status=0; for t in $(stress_tests); do \
	    echo "== $$t"; \
	    ( $(AM_TESTS_ENVIRONMENT) SCARDSSP_STRESS=full; export SCARDSSP_STRESS; $(top_srcdir)/tests/run-wine $$t ) || status=1; \
	done; exit $$status
.PHONY: stress
