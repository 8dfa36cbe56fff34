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

/// Blocks SIGHUP like `block_stop_signals` and returns `signals` with it added, for a daemon
/// whose `sigwait` loop turns SIGHUP into a reload (no work in a signal handler). Call before
/// any other thread starts.
inline sigset_t with_reload_signal(sigset_t signals) {
  sigset_t hup;
  sigemptyset(&hup);
  sigaddset(&hup, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &hup, nullptr);
  sigaddset(&signals, SIGHUP);
  return signals;
}

} // namespace fleet
