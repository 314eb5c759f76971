# (GNU make, past automake) the PE benchmark program
$(eval $(call pe_link_rule,x86_64,bench/transaction.exe,bench/transaction.c include/scardssp_i.c,,-mconsole -lole32 -loleaut32 -luuid))

# The in-process benchmark: its program and the loopback winscard.dll it
# runs against (a test double, never installed), side by side.
$(eval $(call pe_link_rule,x86_64,bench/loopback/winscard.dll,bench/loopback/winscard.c,bench/loopback/winscard.spec,-shared))
$(eval $(call pe_link_rule,x86_64,bench/loopback/inprocess.exe,bench/inprocess.c include/scardssp_i.c,,-mconsole -lole32 -loleaut32 -luuid -lwinscard))
