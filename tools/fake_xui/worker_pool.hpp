#pragma once

#include <cstddef>

namespace httplib {
class TaskQueue;
} // namespace httplib

namespace fleet::fake {

/// A task queue for one listener that starts a worker thread whenever a task arrives and no
/// worker is idle, up to `max_threads`; tasks past that wait for a worker. Workers stay once
/// started. httplib runs each connection as one task for as long as the connection lives, so
/// every request in flight and every idle keep-alive connection holds a worker: a pool that
/// grows serves as many concurrent requests as it has room for without starting threads
/// that a quiet panel never needs. The listener owns it (httplib deletes it after
/// `shutdown`).
[[nodiscard]] httplib::TaskQueue* new_worker_pool(size_t max_threads);

} // namespace fleet::fake
