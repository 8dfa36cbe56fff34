#include "coordinator/api/http/http_server.hpp"

#include "common/logging.hpp"
#include "coordinator/api/http/request_head.hpp"

#include <atomic>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <deque>
#include <optional>
#include <thread>

namespace fleet {

namespace {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

/// One thread running one event loop.
struct event_loop {
  explicit event_loop(size_t i) : index(i) {}
  asio::io_context io{1};
  asio::executor_work_guard<asio::io_context::executor_type> busy{io.get_executor()};
  std::thread thread;
  size_t index;
  /// Cleared before the loop stops; afterwards nothing new is put on it.
  std::atomic<bool> open{true};
};

struct server_setup {
  http_server_options options;
  http_handler handler;
  http_refusal refusal;
  http_answered answered;
};

/// Runs `f`; an exception it throws is logged (as coming from `what`) instead of ending the
/// event loop. Returns whether `f` returned normally.
template <class F>
bool guarded(const char* what, F&& f) {
  try {
    f();
    return true;
  } catch (const std::exception& e) {
    log_for("api")->error("a request's {} failed: {}", what, e.what());
  } catch (...) {
    log_for("api")->error("a request's {} failed", what);
  }
  return false;
}

/// A refused request gets its answer and then the connection drains what the client still
/// sends for this long before closing, so the answer is read rather than lost to a reset.
constexpr std::chrono::seconds drain_time{2};

/// Bytes asked for by the read that waits for a request's first bytes.
constexpr size_t first_read = 4096;

/// One client connection: reads a request, hands it to the handler, writes the answer it
/// gets (or streams chunks), and reads the next one while the client keeps it alive.
class connection final : public answer_sink, public std::enable_shared_from_this<connection> {
public:
  connection(tcp::socket socket, event_loop& loop, const server_setup& setup)
      : stream_(std::move(socket)), loop_(loop), setup_(setup), idle_timer_(loop.io) {}

  void start() { read_header(); }

  void answer(server_response answer) override {
    if (loop_.open)
      asio::dispatch(loop_.io, [self = shared_from_this(), a = std::move(answer)]() mutable {
        self->write(std::move(a));
      });
  }

  void unanswered() override { answer(setup_.refusal(500)); }

  void stream(server_response head, chunk_source source, stream_idle idle) override {
    if (loop_.open)
      asio::dispatch(loop_.io, [self = shared_from_this(), head = std::move(head),
                                source = std::move(source), idle = std::move(idle)]() mutable {
        self->start_stream(std::move(head), std::move(source), std::move(idle));
      });
  }

  void post(std::function<void()> work) override {
    if (loop_.open)
      asio::post(loop_.io, std::move(work));
  }

  [[nodiscard]] size_t loop() const override { return loop_.index; }

private:
  /// Waits up to the idle timeout for a request's first bytes, then gives its head and body
  /// the request timeout.
  void read_header() {
    method_.clear();
    path_.clear();
    parser_.emplace();
    parser_->body_limit(setup_.options.max_body);
    if (buffer_.size() > 0)
      return read_rest_of_header();
    stream_.expires_after(setup_.options.idle_timeout);
    stream_.async_read_some(buffer_.prepare(first_read),
                            [self = shared_from_this()](beast::error_code ec, size_t n) {
                              if (ec)
                                return self->close();
                              self->buffer_.commit(n);
                              self->read_rest_of_header();
                            });
  }

  void read_rest_of_header() {
    stream_.expires_after(setup_.options.request_timeout);
    bhttp::async_read_header(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_header(ec); });
  }

  void on_header(beast::error_code ec) {
    if (ec)
      return refuse_or_close(ec);
    auto length = parser_->content_length();
    if (length && *length > setup_.options.max_body)
      return refuse(413);
    if (beast::iequals(parser_->get()[bhttp::field::expect], "100-continue")) {
      static const std::string go_on = "HTTP/1.1 100 Continue\r\n\r\n";
      return asio::async_write(stream_, asio::buffer(go_on),
                               [self = shared_from_this()](beast::error_code e, size_t) {
                                 if (e)
                                   return self->close();
                                 self->read_body();
                               });
    }
    read_body();
  }

  void read_body() {
    bhttp::async_read(
        stream_, buffer_, *parser_,
        [self = shared_from_this()](beast::error_code ec, size_t) { self->on_request(ec); });
  }

  void on_request(beast::error_code ec) {
    if (ec)
      return refuse_or_close(ec);
    auto message = parser_->release();
    keep_alive_ = message.keep_alive();
    version_ = message.version();
    server_request request;
    if (!read_request(message, request))
      return refuse(400);
    beast::error_code peer_error;
    auto peer = stream_.socket().remote_endpoint(peer_error);
    if (!peer_error)
      request.remote_address = peer.address().to_string();
    method_ = request.method;
    path_ = request.path;
    // A handler that throws leaves its responder behind, which answers 500.
    guarded("handler", [&] { setup_.handler(request, responder{shared_from_this()}); });
  }

  /// Errors of the HTTP grammar get an answer; a closed, reset or idle connection does not.
  void refuse_or_close(beast::error_code ec) {
    if (ec == bhttp::error::body_limit)
      return refuse(413);
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_target).category()
        && ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return refuse(400);
    close();
  }

  void refuse(int status) {
    keep_alive_ = false;
    draining_ = true;
    write(setup_.refusal(status));
  }

  void start_drain() {
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ignored);
    stream_.expires_after(drain_time);
    drain();
  }

  void write(server_response answer) {
    if (closed_ || answering_)
      return;
    answering_ = true;
    auto& res = head_of(response_, answer);
    res.body() = std::move(answer.body);
    res.keep_alive(keep_alive_);
    res.prepare_payload();
    if (setup_.answered)
      setup_.answered(method_, path_, answer.status);
    stream_.expires_after(setup_.options.idle_timeout);
    bhttp::async_write(stream_, res, [self = shared_from_this()](beast::error_code ec, size_t) {
      self->answering_ = false;
      self->response_.reset();
      if (ec)
        return self->close();
      if (self->draining_)
        return self->start_drain();
      if (!self->keep_alive_)
        return self->close();
      self->read_header();
    });
  }

  /// Makes `message` the head of `answer`: status, content type and headers.
  template <class Body>
  bhttp::response<Body>& head_of(std::optional<bhttp::response<Body>>& message,
                                 const server_response& answer) {
    auto& m = message.emplace(static_cast<bhttp::status>(answer.status), version_);
    if (!answer.content_type.empty())
      m.set(bhttp::field::content_type, answer.content_type);
    for (const auto& [name, value] : answer.headers)
      m.set(name, value);
    return m;
  }

  void drain() {
    scratch_.resize(16 * 1024);
    stream_.async_read_some(asio::buffer(scratch_),
                            [self = shared_from_this()](beast::error_code ec, size_t) {
                              if (ec)
                                return self->close();
                              self->drain();
                            });
  }

  void start_stream(server_response head, chunk_source source, stream_idle idle) {
    if (closed_ || answering_)
      return;
    answering_ = true;
    keep_alive_ = false;
    source_ = std::move(source);
    idle_ = std::move(idle);
    head_of(stream_head_, head);
    stream_head_->chunked(true);
    stream_head_->keep_alive(false);
    serializer_.emplace(*stream_head_);
    if (setup_.answered)
      setup_.answered(method_, path_, head.status);
    stream_.expires_after(setup_.options.idle_timeout);
    bhttp::async_write_header(stream_, *serializer_,
                              [self = shared_from_this()](beast::error_code ec, size_t) {
                                if (ec)
                                  return self->close();
                                self->stream_.expires_never();
                                self->arm_idle();
                                self->pull();
                              });
  }

  void pull() {
    pulling_ = true;
    auto deliver = [self = shared_from_this()](std::optional<std::string> chunk) {
      if (self->loop_.open)
        asio::post(self->loop_.io, [self, chunk = std::move(chunk)]() mutable {
          self->delivered(std::move(chunk));
        });
    };
    if (!guarded("stream", [&] { source_(deliver); }))
      deliver(std::nullopt);
  }

  void delivered(std::optional<std::string> chunk) {
    pulling_ = false;
    if (closed_)
      return;
    if (chunk && chunk->empty())
      return pull();
    outbox_.push_back(std::move(chunk));
    flush();
  }

  /// Writes the next queued chunk; asks the source for more once everything is written.
  void flush() {
    if (writing_ || closed_)
      return;
    if (outbox_.empty()) {
      if (!pulling_)
        pull();
      return;
    }
    writing_ = true;
    auto done = [self = shared_from_this()](beast::error_code ec, size_t) {
      self->writing_ = false;
      self->stream_.expires_never();
      if (ec || !self->outbox_.front())
        return self->close();
      self->outbox_.pop_front();
      self->arm_idle();
      self->flush();
    };
    stream_.expires_after(setup_.options.idle_timeout);
    if (!outbox_.front())
      asio::async_write(stream_, bhttp::make_chunk_last(), std::move(done));
    else
      asio::async_write(stream_, bhttp::make_chunk(asio::buffer(*outbox_.front())),
                        std::move(done));
  }

  void arm_idle() {
    idle_timer_.expires_after(idle_.after);
    idle_timer_.async_wait([self = shared_from_this()](beast::error_code ec) {
      if (ec || self->closed_)
        return;
      if (self->writing_ || !self->outbox_.empty())
        return self->arm_idle();
      self->outbox_.push_back(self->idle_.chunk);
      self->flush();
    });
  }

  void close() {
    if (closed_)
      return;
    closed_ = true;
    idle_timer_.cancel();
    beast::error_code ignored;
    stream_.socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream_.close();
  }

  beast::tcp_stream stream_;
  event_loop& loop_;
  const server_setup& setup_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::string_body>> parser_;
  std::optional<bhttp::response<bhttp::string_body>> response_;
  unsigned version_ = 11;
  bool keep_alive_ = true;
  bool answering_ = false;
  bool draining_ = false;
  bool closed_ = false;
  std::string method_;
  std::string path_;
  std::string scratch_;
  // Streaming.
  chunk_source source_;
  stream_idle idle_;
  std::optional<bhttp::response<bhttp::empty_body>> stream_head_;
  std::optional<bhttp::response_serializer<bhttp::empty_body>> serializer_;
  std::deque<std::optional<std::string>> outbox_;
  asio::steady_timer idle_timer_;
  bool pulling_ = false;
  bool writing_ = false;
};

} // namespace

struct http_server::impl {
  server_setup setup;
  std::vector<std::unique_ptr<event_loop>> loops;
  std::optional<tcp::acceptor> acceptor;
  std::optional<asio::steady_timer> retry;
  size_t next = 0;
  int port = 0;

  void accept() {
    auto& target = *loops[next++ % loops.size()];
    acceptor->async_accept(target.io, [this, &target](beast::error_code ec, tcp::socket socket) {
      if (ec == asio::error::operation_aborted)
        return;
      if (ec) {
        // Out of descriptors or similar: try again shortly instead of spinning.
        retry->expires_after(std::chrono::milliseconds{50});
        retry->async_wait([this](beast::error_code e) {
          if (!e)
            accept();
        });
        return;
      }
      beast::error_code ignored;
      socket.set_option(tcp::no_delay{true}, ignored);
      auto c = std::make_shared<connection>(std::move(socket), target, setup);
      asio::post(target.io, [c] { c->start(); });
      accept();
    });
  }
};

http_server::http_server(http_server_options options, http_handler handler, http_refusal refusal,
                         http_answered answered)
    : impl_(std::make_unique<impl>()) {
  impl_->setup = {std::move(options), std::move(handler), std::move(refusal), std::move(answered)};
}

http_server::~http_server() {
  stop();
}

caf::error http_server::start() {
  auto& x = *impl_;
  const auto& opts = x.setup.options;
  auto address = opts.host + ":" + std::to_string(opts.port);
  for (size_t i = 0; i < std::max<size_t>(1, opts.loops); ++i)
    x.loops.push_back(std::make_unique<event_loop>(i));
  auto& io = x.loops.front()->io;
  beast::error_code ec;
  tcp::resolver resolver{io};
  auto found = resolver.resolve(opts.host, std::to_string(opts.port),
                                tcp::resolver::numeric_service | tcp::resolver::passive, ec);
  if (ec || found.empty()) {
    x.loops.clear();
    return make_error(ec::io_error, "cannot listen on " + address + ": " + ec.message());
  }
  auto endpoint = found.begin()->endpoint();
  x.acceptor.emplace(io);
  x.retry.emplace(io);
  x.acceptor->open(endpoint.protocol(), ec);
  if (!ec)
    x.acceptor->set_option(tcp::acceptor::reuse_address{true}, ec);
  if (!ec)
    x.acceptor->bind(endpoint, ec);
  if (!ec)
    x.acceptor->listen(asio::socket_base::max_listen_connections, ec);
  if (ec) {
    x.acceptor.reset();
    x.retry.reset();
    x.loops.clear();
    return make_error(ec::io_error, "cannot listen on " + address + ": " + ec.message());
  }
  x.port = x.acceptor->local_endpoint().port();
  x.accept();
  for (auto& loop : x.loops)
    loop->thread = std::thread{[l = loop.get()] { l->io.run(); }};
  return caf::none;
}

void http_server::halt() {
  for (auto& loop : impl_->loops) {
    loop->open = false;
    loop->busy.reset();
    loop->io.stop();
  }
  for (auto& loop : impl_->loops)
    if (loop->thread.joinable())
      loop->thread.join();
}

void http_server::stop() {
  auto& x = *impl_;
  if (x.loops.empty())
    return;
  halt();
  x.acceptor.reset();
  x.retry.reset();
  // Destroying the loops destroys what is still queued on them, connections included.
  x.loops.clear();
}

void http_server::post(size_t loop, std::function<void()> work) {
  auto& target = *impl_->loops.at(loop);
  if (target.open)
    asio::post(target.io, std::move(work));
}

int http_server::port() const noexcept {
  return impl_->port;
}

size_t http_server::loops() const noexcept {
  return impl_->loops.size();
}

} // namespace fleet
