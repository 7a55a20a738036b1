#ifndef CSQLITE_SHIM_H
#define CSQLITE_SHIM_H

// SQLite itself plus the few things Swift cannot import from it: function-like macros and
// sentinel pointers. Only the SQLiteStore module imports this.

#include <sqlite3.h>

/// SQLITE_TRANSIENT is `((sqlite3_destructor_type)-1)`, a cast Swift cannot import: it tells
/// sqlite3_bind_* to copy the bytes before returning, so the caller's buffer may go away.
static inline int csq_bind_blob_copy(sqlite3_stmt *statement, int index, const void *bytes, int count) {
    return sqlite3_bind_blob(statement, index, bytes, count, SQLITE_TRANSIENT);
}

/// Text counterpart of `csq_bind_blob_copy`: `count` bytes of UTF-8, copied by SQLite.
static inline int csq_bind_text_copy(sqlite3_stmt *statement, int index, const char *text, int count) {
    return sqlite3_bind_text(statement, index, text, count, SQLITE_TRANSIENT);
}

#endif
