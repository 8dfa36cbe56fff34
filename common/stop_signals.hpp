#pragma once

#include <csignal>
#include <pthread.h>

namespace fleet {

/// Blocks SIGINT and SIGTERM in the calling thread and in every thread it starts afterwards,
/// and returns them, so that one thread takes them with `sigwait`. Call before any other
/// thread starts.
inline sigset_t block_stop_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  return signals;
}

} // namespace fleet
