// The store's workers: one writer connection that groups concurrent write jobs
// into one transaction (group commit: one fsync for many requests), and a pool
// of reader connections. Network threads never wait on disk: jobs run on these
// workers and complete back on the caller's executor. Events emitted by a write
// job get their per-topic sequence number inside the same transaction, and are
// handed to the commit listener only after COMMIT succeeded.
//
// Thread-safety: all public methods are thread-safe. read/write must not be
// called from a job running on a worker (it would deadlock the sync variants).
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <condition_variable>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/clock.h"
#include "core/json_fields.h"
#include "core/result.h"
#include "platform/contact_fact.h"
#include "platform/eventlog.h"
#include "platform/sql/sql.h"

namespace sportello {

// A migration: numbered, applied once, in order, each in its own transaction.
struct Migration {
  int version;
  std::string name;
  std::string sql;          // both dialects, unless the next one is set
  std::string postgresSql;  // optional PostgreSQL-specific text
};

// Handle given to a write job: the connection inside the (group) transaction,
// and emit().
class Tx {
 public:
  Tx(sql::Connection& c, const Clock& clock, int retention, std::vector<Event>& out,
     const std::string* notifyNode = nullptr, const ContactHook* contactHook = nullptr)
      : conn_(c),
        clock_(clock),
        retention_(retention),
        events_(out),
        notifyNode_(notifyNode),
        contactHook_(contactHook) {}
  sql::Connection& conn() { return conn_; }
  const Clock& clock() const { return clock_; }
  int64_t nowMs() const { return clock_.nowMs(); }
  // Appends an event to `topic`; its seq is assigned now, in this transaction.
  Status emit(const std::string& topic, const std::string& type, const Json& data);
  // A contact ended (platform/contact_fact.h): the figures' roll-up, in this transaction, when
  // the app set one (Database::setContactHook); nothing otherwise.
  Status recordContact(const ContactFact& f) {
    return contactHook_ && *contactHook_ ? (*contactHook_)(*this, f) : okStatus();
  }

 private:
  sql::Connection& conn_;
  const Clock& clock_;
  int retention_;
  std::vector<Event>& events_;
  const std::string* notifyNode_;  // PostgreSQL: this node's id, for NOTIFY to the others
  const ContactHook* contactHook_;
};

// The channel on which PostgreSQL nodes announce committed events to each other.
inline constexpr const char* kEventChannel = "sportello_events";

struct DatabaseOptions {
  std::string url;
  int readers = 2;
  bool sqliteSynchronousFull = true;
  int eventRetention = 1000;
  size_t maxBatch = 512;
};

class Database {
 public:
  using CommitListener = std::function<void(const std::vector<Event>&)>;

  // Opens the connections and starts the workers. Applies no migration.
  static Result<std::unique_ptr<Database>> open(const DatabaseOptions& opts, const Clock& clock);
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  sql::Dialect dialect() const { return dialect_; }
  const Clock& clock() const { return clock_; }

  // Applies the migrations not yet applied (numbers recorded in
  // schema_migrations).
  Result<int> migrate(std::vector<Migration> migrations);

  // Called (on the writer thread) with each committed batch's events, in commit
  // order.
  void setCommitListener(CommitListener l);

  // The figures' hook every write job's Tx::recordContact calls (feedback sets it while the app
  // is wired, before the first write; not to be changed afterwards).
  void setContactHook(ContactHook h) { contactHook_ = std::move(h); }

  // --- callback API (the other forms are built on it) ---
  // The job runs inside a savepoint of the group transaction: returning kFailed
  // rolls back only this job. kRetry also rolls it back, and runs it again in the next
  // group, after this one has committed and released its locks (a deadlock or a
  // serialization conflict with another node's transaction), up to kMaxAttempts times.
  // `done` gets true only when the group committed and the job succeeded.
  enum class JobOutcome { kDone, kFailed, kRetry };
  static constexpr int kMaxAttempts = 4;
  void submitWrite(std::function<JobOutcome(Tx&)> job, std::function<void(bool committed)> done);
  void submitRead(std::function<void(sql::Connection&)> job);

  // --- coroutine API: resumes on the awaiting coroutine's executor ---
  template <class T>
  boost::asio::awaitable<Result<T>> write(std::function<Result<T>(Tx&)> fn);
  template <class T>
  boost::asio::awaitable<Result<T>> read(std::function<Result<T>(sql::Connection&)> fn);

  // --- blocking API (CLI, tests, start-up): never from an I/O thread ---
  template <class T>
  Result<T> writeSync(std::function<Result<T>(Tx&)> fn);
  template <class T>
  Result<T> readSync(std::function<Result<T>(sql::Connection&)> fn);

  struct Stats {
    uint64_t batches = 0, jobs = 0, remoteEvents = 0, retries = 0;
  };
  const std::string& nodeId() const { return nodeId_; }
  Stats stats() const;

 private:
  Database(const DatabaseOptions& opts, const Clock& clock);
  void writerLoop();
  void readerLoop(sql::Connection* conn);
  // PostgreSQL only: LISTENs for other nodes' commits and hands their events to the commit
  // listener, so WebSocket clients and caches on every node see every change.
  void busLoop();

  struct WriteJob {
    std::function<JobOutcome(Tx&)> job;
    std::function<void(bool)> done;
    int attempts = 0;
  };

  DatabaseOptions opts_;
  const Clock& clock_;
  sql::Dialect dialect_ = sql::Dialect::kSqlite;
  std::unique_ptr<sql::Connection> writer_;
  std::vector<std::unique_ptr<sql::Connection>> readers_;

  mutable std::mutex mu_;
  std::condition_variable writeCv_;
  std::condition_variable readCv_;
  std::deque<WriteJob> writes_;                              // GUARDED_BY(mu_)
  std::deque<std::function<void(sql::Connection&)>> reads_;  // GUARDED_BY(mu_)
  bool stopping_ = false;                                    // GUARDED_BY(mu_)
  CommitListener listener_;                                  // GUARDED_BY(mu_)
  Stats stats_;                                              // GUARDED_BY(mu_)
  std::vector<std::thread> threads_;
  std::string nodeId_;
  ContactHook contactHook_;  // set before the workers write (see setContactHook)
};

// ---- template implementations ----

namespace detail {
template <class T>
Database::JobOutcome outcomeOf(const Result<T>& r) {
  if (r.ok()) return Database::JobOutcome::kDone;
  return r.error().transactionConflict ? Database::JobOutcome::kRetry
                                       : Database::JobOutcome::kFailed;
}

template <class T, class Handler>
void completeOn(Handler handler, Result<T> r) {
  auto ex = boost::asio::get_associated_executor(handler);
  boost::asio::post(
      ex, [h = std::move(handler), r = std::move(r)]() mutable { std::move(h)(std::move(r)); });
}
}  // namespace detail

// These are plain functions returning the awaitable (not coroutines
// themselves): the job is handed to async_initiate as an argument, so it is
// moved exactly once into the worker queue.
template <class T>
boost::asio::awaitable<Result<T>> Database::write(std::function<Result<T>(Tx&)> fn) {
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Result<T>)>(
      [this](auto handler, std::function<Result<T>(Tx&)> job) {
        auto result = std::make_shared<Result<T>>();
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        submitWrite(
            [job = std::move(job), result](Tx& tx) {
              *result = job(tx);
              return detail::outcomeOf(*result);
            },
            [result, h](bool committed) mutable {
              if (!committed && result->ok()) {
                *result = makeError(Errc::kUnavailable, "database commit failed");
              }
              detail::completeOn<T>(std::move(*h), std::move(*result));
            });
      },
      boost::asio::use_awaitable, std::move(fn));
}

template <class T>
boost::asio::awaitable<Result<T>> Database::read(std::function<Result<T>(sql::Connection&)> fn) {
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(Result<T>)>(
      [this](auto handler, std::function<Result<T>(sql::Connection&)> job) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        submitRead([job = std::move(job), h](sql::Connection& c) mutable {
          Result<T> r = job(c);
          job = nullptr;  // release captures on this thread before resuming the
                          // caller
          detail::completeOn<T>(std::move(*h), std::move(r));
        });
      },
      boost::asio::use_awaitable, std::move(fn));
}

template <class T>
Result<T> Database::writeSync(std::function<Result<T>(Tx&)> fn) {
  std::promise<Result<T>> p;
  auto result = std::make_shared<Result<T>>();
  submitWrite(
      [&fn, result](Tx& tx) {
        *result = fn(tx);
        return detail::outcomeOf(*result);
      },
      [&p, result](bool committed) {
        if (!committed && result->ok()) {
          *result = makeError(Errc::kUnavailable, "database commit failed");
        }
        p.set_value(std::move(*result));
      });
  return p.get_future().get();
}

template <class T>
Result<T> Database::readSync(std::function<Result<T>(sql::Connection&)> fn) {
  std::promise<Result<T>> p;
  submitRead([&](sql::Connection& c) { p.set_value(fn(c)); });
  return p.get_future().get();
}

}  // namespace sportello
