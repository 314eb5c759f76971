# (GNU make, past automake) the PE benchmark program
$(eval $(call pe_link_rule,x86_64,bench/transaction.exe,bench/transaction.c include/scardssp_i.c,,-mconsole -lole32 -loleaut32 -luuid))
