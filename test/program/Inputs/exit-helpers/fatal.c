/* Ends through a helper of yet another file. */
void die_loudly(int code);
void fatal(void) { die_loudly(2); }
