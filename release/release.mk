# GNU make part of release/Makefile.inc (see there).

release_version = $(PACKAGE_VERSION)
# a manifest's assemblyIdentity wants four numbers
release_assembly_version = $(shell echo $(release_version).0.0.0 | cut -d. -f1-4)
wine_bundle = release/scardssp-$(release_version)-wine
windows_package = release/scardssp-$(release_version)-windows
wine_archive = scardssp-$(release_version)-wine.tar.gz
windows_archive = scardssp-$(release_version)-windows.zip
release_subst = sed -e 's/@VERSION@/$(release_version)/g' -e 's/@ASSEMBLY_VERSION@/$(release_assembly_version)/g'
release_crlf = sed -e 's/$$/\r/'

# The status helper of setup_scardssp.sh, one per architecture
$(foreach a,$(PE_ARCHS),$(eval $(call pe_link_rule,$(a),release/scardssp-status.exe, \
	release/status.c dlls/winscard/unixcall.c include/scardssp_i.c,,-mconsole -lole32 -loleaut32 -luuid -lversion -ladvapi32 -lntdll)))
$(foreach a,$(PE_ARCHS),$(eval $(a)/release/status.o: PE_CPPFLAGS += -I$(top_srcdir)/dlls/winscard))

wine_bundle_inputs = $(foreach a,x86_64 i686,$(a)/release/scardssp.dll $(a)/winscard/winscard.dll \
	$(a)/release/scardssp-status.exe) x86_64/winscard/winscard_pcsc.dll.so x86_64/winscard/winscard_pcsc.so \
	$(winscard_unix_i686)

# The release copy of scardssp.dll (ARCH/release/scardssp.dll, stripped);
# the bridge's debug information stays in the build tree too.  Each folder
# holds what goes into one system folder: the 64-bit winscard_pcsc.so
# (Wine >= 11.2) serves the 32-bit winscard.dll too, so x32/ has a copy.
# Without gcc-multilib and libwine-dev:i386 (a new-WoW64 build host) there
# is no 32-bit winscard_pcsc.dll.so: the staged bundle and the archive serve
# the tests without it, `make release` refuses to give it out.
$(wine_bundle).stamp: $(wine_bundle_inputs) release/setup_scardssp.sh release/README-Wine.txt release/release.mk
	$(AM_V_GEN)rm -rf $(wine_bundle) && \
	for d in x64 x32; do \
		case $$d in x64) a=x86_64;; x32) a=i686;; esac; \
		mkdir -p $(wine_bundle)/$$d && \
		cp $$a/release/scardssp.dll $(wine_bundle)/$$d/ && \
		$$a-w64-mingw32-strip -g -o $(wine_bundle)/$$d/scardssp-status.exe $$a/release/scardssp-status.exe && \
		$$a-w64-mingw32-strip -g -o $(wine_bundle)/$$d/winscard.dll $$a/winscard/winscard.dll && \
		strip -g -o $(wine_bundle)/$$d/winscard_pcsc.so x86_64/winscard/winscard_pcsc.so && \
		if [ -f $$a/winscard/winscard_pcsc.dll.so ]; then \
			strip -g -o $(wine_bundle)/$$d/winscard_pcsc.dll.so $$a/winscard/winscard_pcsc.dll.so; fi || exit 1; \
	done && \
	$(release_subst) $(top_srcdir)/release/setup_scardssp.sh > $(wine_bundle)/setup_scardssp.sh && \
	chmod 755 $(wine_bundle)/setup_scardssp.sh && \
	$(release_subst) $(top_srcdir)/release/README-Wine.txt > $(wine_bundle)/README && \
	touch $@

# A component manifest per architecture: the example manifest without its
# usage note (what precedes <assembly>), under the identity the application
# manifest example depends on.
release_component_manifest = awk 'NR == 1 { print; next } /<assembly/ { body = 1 } body' $(2) | \
	sed -e 's|<assemblyIdentity [^>]*/>|<assemblyIdentity type="win32" name="scardssp.sxs" version="$(release_assembly_version)" processorArchitecture="$(1)"/>|'

$(windows_package).stamp: x86_64/release/scardssp.dll i686/release/scardssp.dll examples/scardssp.manifest \
		release/windows/install.cmd release/windows/uninstall.cmd \
		release/windows/README-Windows.txt release/windows/yourapp.exe.manifest release/release.mk
	$(AM_V_GEN)rm -rf $(windows_package) && mkdir -p $(windows_package)/x64 $(windows_package)/x86 && \
	cp x86_64/release/scardssp.dll $(windows_package)/x64/ && cp i686/release/scardssp.dll $(windows_package)/x86/ && \
	$(call release_component_manifest,amd64,$(top_srcdir)/examples/scardssp.manifest) | $(release_crlf) \
		> $(windows_package)/x64/scardssp.sxs.manifest && \
	$(call release_component_manifest,x86,$(top_srcdir)/examples/scardssp.manifest) | $(release_crlf) \
		> $(windows_package)/x86/scardssp.sxs.manifest && \
	for f in install.cmd uninstall.cmd README-Windows.txt yourapp.exe.manifest; do \
		$(release_subst) $(top_srcdir)/release/windows/$$f | $(release_crlf) > $(windows_package)/$$f || exit 1; \
	done && \
	touch $@

# Reproducible archives: sorted, owned by root, dated by configure.ac
release_mtime = $(shell date -u -r $(top_srcdir)/configure.ac +%Y-%m-%dT%H:%M:%SZ)
$(wine_archive): $(wine_bundle).stamp
	$(AM_V_GEN)tar -C release --sort=name --owner=0 --group=0 --numeric-owner --mtime='$(release_mtime)' \
		-czf $@ $(notdir $(wine_bundle))
$(windows_archive): $(windows_package).stamp
	$(AM_V_GEN)rm -f $@ && (cd release && python3 -m zipfile -c ../$@ $(notdir $(windows_package)))

# (the tests take the archive as it is; a release must serve old-WoW64 prefixes too)
release: $(wine_archive) $(windows_archive)
	@test -f $(wine_bundle)/x32/winscard_pcsc.dll.so || \
		{ echo "release: no 32-bit winscard_pcsc.dll.so (install gcc-multilib and libwine-dev:i386: tools/setup-debian;" \
		       "a new-WoW64 host such as Debian sid cannot build it)"; rm -f $(wine_archive); exit 1; }
	@echo "release: $(abs_builddir)/$(wine_archive)"; echo "release: $(abs_builddir)/$(windows_archive)"
.PHONY: release
CLEANFILES += $(wine_archive) $(windows_archive)

# `make` stages both (the tests and tools/demo install from the Wine bundle)
all-local: $(wine_bundle).stamp $(windows_package).stamp
