#include "common/panel/http_engine.hpp"

#include <curl/curl.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <thread>

namespace fleet {

namespace {

/// Initialises libcurl once per process, before any engine thread exists.
void global_init() {
  static const bool done = [] { return curl_global_init(CURL_GLOBAL_DEFAULT) == CURLE_OK; }();
  static_cast<void>(done);
}

size_t collect_body(char* data, size_t size, size_t count, void* user) {
  static_cast<std::string*>(user)->append(data, size * count);
  return size * count;
}

} // namespace

struct http_engine::impl {
  struct pending {
    http_request request;
    completion done;
  };

  struct session {
    CURL* easy = nullptr;
    http_tls tls;
    std::deque<pending> queue;
    bool busy = false;
    // Buffers of the transfer in flight.
    std::string body;
    curl_slist* headers = nullptr;
    char error[CURL_ERROR_SIZE] = {0};
    completion done;
  };

  CURLM* multi = nullptr;
  std::thread thread;
  std::atomic<bool> stopping{false};

  // Guarded by mtx: work handed over from other threads.
  mutable std::mutex mtx;
  std::vector<std::function<void()>> inbox;
  session_id next_id = 1;
  http_engine_stats counters;

  // Owned by the I/O thread.
  std::map<session_id, session> sessions;

  void start_next(session_id id, session& s) {
    if (s.busy || s.queue.empty())
      return;
    auto job = std::move(s.queue.front());
    s.queue.pop_front();
    s.busy = true;
    s.done = std::move(job.done);
    s.body.clear();
    s.error[0] = '\0';
    curl_slist_free_all(s.headers);
    s.headers = nullptr;
    for (const auto& h : job.request.headers)
      s.headers = curl_slist_append(s.headers, h.c_str());
    auto* e = s.easy;
    curl_easy_setopt(e, CURLOPT_URL, job.request.url.c_str());
    curl_easy_setopt(e, CURLOPT_HTTPHEADER, s.headers);
    curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, static_cast<long>(job.request.timeout.count()));
    curl_easy_setopt(e, CURLOPT_WRITEDATA, &s.body);
    if (job.request.method == "GET") {
      curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
    } else {
      curl_easy_setopt(e, CURLOPT_POST, 1L);
      curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE, static_cast<long>(job.request.body.size()));
      curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, job.request.body.c_str());
      if (job.request.method != "POST")
        curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, job.request.method.c_str());
    }
    curl_easy_setopt(e, CURLOPT_PRIVATE, reinterpret_cast<void*>(id));
    curl_multi_add_handle(multi, e);
  }

  void finish(CURL* e, CURLcode code) {
    void* priv = nullptr;
    curl_easy_getinfo(e, CURLINFO_PRIVATE, &priv);
    auto id = static_cast<session_id>(reinterpret_cast<uintptr_t>(priv));
    curl_multi_remove_handle(multi, e);
    auto it = sessions.find(id);
    if (it == sessions.end())
      return;
    auto& s = it->second;
    http_response r;
    r.transport_code = static_cast<int>(code);
    if (code != CURLE_OK)
      r.transport_error = s.error[0] != '\0' ? s.error : curl_easy_strerror(code);
    curl_easy_getinfo(e, CURLINFO_RESPONSE_CODE, &r.status);
    char* type = nullptr;
    if (curl_easy_getinfo(e, CURLINFO_CONTENT_TYPE, &type) == CURLE_OK && type != nullptr)
      r.content_type = type;
    curl_off_t micros = 0;
    curl_easy_getinfo(e, CURLINFO_TOTAL_TIME_T, &micros);
    r.elapsed = std::chrono::microseconds{micros};
    curl_easy_getinfo(e, CURLINFO_NUM_CONNECTS, &r.new_connections);
    r.body = std::move(s.body);
    curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, nullptr);
    s.busy = false;
    auto done = std::move(s.done);
    {
      std::lock_guard<std::mutex> guard{mtx};
      ++counters.requests;
      counters.connections_opened += static_cast<uint64_t>(r.new_connections);
    }
    if (done)
      done(std::move(r));
    // The completion may have closed the session.
    if (auto again = sessions.find(id); again != sessions.end())
      start_next(id, again->second);
  }

  void run() {
    while (!stopping) {
      std::vector<std::function<void()>> work;
      {
        std::lock_guard<std::mutex> guard{mtx};
        work.swap(inbox);
      }
      for (auto& fn : work)
        fn();
      int running = 0;
      curl_multi_perform(multi, &running);
      int left = 0;
      while (CURLMsg* msg = curl_multi_info_read(multi, &left))
        if (msg->msg == CURLMSG_DONE)
          finish(msg->easy_handle, msg->data.result);
      curl_multi_poll(multi, nullptr, 0, 1000, nullptr);
    }
    for (auto& [id, s] : sessions)
      destroy(s);
    sessions.clear();
  }

  void destroy(session& s) {
    if (s.busy)
      curl_multi_remove_handle(multi, s.easy);
    curl_easy_cleanup(s.easy);
    curl_slist_free_all(s.headers);
    s.easy = nullptr;
    s.headers = nullptr;
  }

  void enqueue(std::function<void()> fn) {
    {
      std::lock_guard<std::mutex> guard{mtx};
      inbox.push_back(std::move(fn));
    }
    curl_multi_wakeup(multi);
  }

  CURL* make_easy(session& s) {
    auto* e = curl_easy_init();
    curl_easy_setopt(e, CURLOPT_COOKIEFILE, ""); // in-memory cookie jar of this session
    curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(e, CURLOPT_ERRORBUFFER, s.error);
    curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, &collect_body);
    curl_easy_setopt(e, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
    if (!s.tls.ca_file.empty())
      curl_easy_setopt(e, CURLOPT_CAINFO, s.tls.ca_file.c_str());
    if (!s.tls.pinned_pubkey.empty())
      curl_easy_setopt(e, CURLOPT_PINNEDPUBLICKEY, s.tls.pinned_pubkey.c_str());
    if (s.tls.insecure_skip_verify && !s.tls.pinned_pubkey.empty()) {
      // Verification is replaced by the key pin, never skipped without one.
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 0L);
      curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 0L);
    }
    return e;
  }
};

http_engine::http_engine(long max_host_connections) : impl_(std::make_unique<impl>()) {
  global_init();
  impl_->multi = curl_multi_init();
  curl_multi_setopt(impl_->multi, CURLMOPT_MAX_HOST_CONNECTIONS, max_host_connections);
  curl_multi_setopt(impl_->multi, CURLMOPT_MAXCONNECTS, 4 * max_host_connections + 64);
  impl_->thread = std::thread{[this] { impl_->run(); }};
}

http_engine::~http_engine() {
  impl_->stopping = true;
  curl_multi_wakeup(impl_->multi);
  impl_->thread.join();
  curl_multi_cleanup(impl_->multi);
}

http_engine::session_id http_engine::open_session(http_tls tls) {
  session_id id = 0;
  {
    std::lock_guard<std::mutex> guard{impl_->mtx};
    id = impl_->next_id++;
  }
  impl_->enqueue([this, id, tls = std::move(tls)]() mutable {
    auto& s = impl_->sessions[id];
    s.tls = std::move(tls);
    s.easy = impl_->make_easy(s);
  });
  return id;
}

void http_engine::close_session(session_id id) {
  impl_->enqueue([this, id] {
    auto it = impl_->sessions.find(id);
    if (it == impl_->sessions.end())
      return;
    impl_->destroy(it->second);
    impl_->sessions.erase(it);
  });
}

void http_engine::submit(session_id id, http_request request, completion done) {
  impl_->enqueue([this, id, request = std::move(request), done = std::move(done)]() mutable {
    auto it = impl_->sessions.find(id);
    if (it == impl_->sessions.end()) {
      http_response r;
      r.transport_code = -1;
      r.transport_error = "session is closed";
      done(std::move(r));
      return;
    }
    it->second.queue.push_back({std::move(request), std::move(done)});
    impl_->start_next(id, it->second);
  });
}

void http_engine::post(std::function<void()> fn) {
  impl_->enqueue(std::move(fn));
}

http_engine_stats http_engine::stats() const {
  std::lock_guard<std::mutex> guard{impl_->mtx};
  return impl_->counters;
}

} // namespace fleet
