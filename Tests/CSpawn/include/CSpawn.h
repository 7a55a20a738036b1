#ifndef CSPAWN_H
#define CSPAWN_H

// Two glibc calls the test spawner needs that Swift's Glibc module does not show: glibc declares
// them only under _GNU_SOURCE, which that module is not built with. CSpawn.c defines it and
// forwards, so each call is checked against glibc's own prototype.

#include <spawn.h>

/// Adds "close every descriptor from `lowest` up" to `actions` (glibc 2.34 and later), so a child
/// inherits only the descriptors the file actions put below `lowest`.
int cspawn_addclosefrom(posix_spawn_file_actions_t *actions, int lowest);

/// `pipe2(descriptors, O_CLOEXEC)`: both ends are created close-on-exec, with no window in which
/// a process started by another thread could inherit them.
int cspawn_pipe_cloexec(int descriptors[2]);

#endif
