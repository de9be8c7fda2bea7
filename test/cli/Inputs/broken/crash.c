/* Crashes the compiler on purpose: the CLI must report it and go on with the other TUs. */
#pragma clang __debug crash
int crashes;
