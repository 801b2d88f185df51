#include "platform/database.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "core/token.h"
#include "platform/sql/pg_listener.h"

namespace sportello {

Status Tx::emit(const std::string& topic, const std::string& type, const Json& data) {
  Event e;
  e.topic = topic;
  e.type = type;
  e.data = data.dump(-1, ' ', false, Json::error_handler_t::replace);
  e.at = clock_.nowMs();
  SP_ASSIGN(e.seq, eventlog::append(conn_, e, retention_, notifyNode_, kEventChannel));
  events_.push_back(std::move(e));
  return okStatus();
}

Database::Database(const DatabaseOptions& opts, const Clock& clock) : opts_(opts), clock_(clock) {}

Result<std::unique_ptr<Database>> Database::open(const DatabaseOptions& opts, const Clock& clock) {
  std::unique_ptr<Database> db(new Database(opts, clock));
  sql::SqliteOptions so;
  so.synchronousFull = opts.sqliteSynchronousFull;
  SP_ASSIGN(db->writer_, sql::open(opts.url, so));
  db->dialect_ = db->writer_->dialect();
  // The base tables every capability relies on.
  SP_TRY(
      db->writer_->execScript("CREATE TABLE IF NOT EXISTS schema_migrations "
                              "(version BIGINT PRIMARY KEY, name TEXT NOT "
                              "NULL, applied_at BIGINT NOT NULL)"));
  for (int i = 0; i < std::max(1, opts.readers); ++i) {
    SP_ASSIGN(auto c, sql::open(opts.url, so));
    db->readers_.push_back(std::move(c));
  }
  db->nodeId_ = newId();
  db->threads_.emplace_back([d = db.get()] { d->writerLoop(); });
  if (db->dialect_ == sql::Dialect::kPostgres) {
    db->threads_.emplace_back([d = db.get()] { d->busLoop(); });
  }
  for (auto& r : db->readers_) {
    db->threads_.emplace_back([d = db.get(), c = r.get()] { d->readerLoop(c); });
  }
  return db;
}

Database::~Database() {
  {
    std::lock_guard lk(mu_);
    stopping_ = true;
  }
  writeCv_.notify_all();
  readCv_.notify_all();
  for (auto& t : threads_) t.join();
}

void Database::setCommitListener(CommitListener l) {
  std::lock_guard lk(mu_);
  listener_ = std::move(l);
}

Database::Stats Database::stats() const {
  std::lock_guard lk(mu_);
  return stats_;
}

void Database::submitWrite(std::function<JobOutcome(Tx&)> job, std::function<void(bool)> done) {
  {
    std::lock_guard lk(mu_);
    if (stopping_) {
      done(false);
      return;
    }
    writes_.push_back(WriteJob{std::move(job), std::move(done), 0});
  }
  writeCv_.notify_one();
}

void Database::submitRead(std::function<void(sql::Connection&)> job) {
  {
    std::lock_guard lk(mu_);
    reads_.push_back(std::move(job));
  }
  readCv_.notify_one();
}

void Database::readerLoop(sql::Connection* conn) {
  for (;;) {
    std::function<void(sql::Connection&)> job;
    {
      std::unique_lock lk(mu_);
      readCv_.wait(lk, [&] { return stopping_ || !reads_.empty(); });
      if (reads_.empty()) return;  // stopping and drained
      job = std::move(reads_.front());
      reads_.pop_front();
    }
    job(*conn);
  }
}

void Database::writerLoop() {
  std::vector<WriteJob> batch;
  std::vector<Event> events;
  for (;;) {
    batch.clear();
    {
      std::unique_lock lk(mu_);
      writeCv_.wait(lk, [&] { return stopping_ || !writes_.empty(); });
      if (writes_.empty()) return;  // stopping and drained
      while (!writes_.empty() && batch.size() < opts_.maxBatch) {
        batch.push_back(std::move(writes_.front()));
        writes_.pop_front();
      }
    }
    events.clear();
    std::vector<char> succeeded(batch.size(), 0);
    std::vector<char> again(batch.size(), 0);
    bool committed = false;
    auto st = writer_->begin();
    if (st.ok()) {
      for (size_t i = 0; i < batch.size(); ++i) {
        size_t mark = events.size();
        if (!writer_->savepoint("job").ok()) break;
        Tx tx(*writer_, clock_, opts_.eventRetention, events,
              dialect_ == sql::Dialect::kPostgres ? &nodeId_ : nullptr, &contactHook_);
        JobOutcome outcome = batch[i].job(tx);
        bool okJob = outcome == JobOutcome::kDone;
        if (okJob) {
          okJob = writer_->release("job").ok();
        } else {
          (void)writer_->rollbackTo("job");
          (void)writer_->release("job");
        }
        if (!okJob) events.resize(mark);
        succeeded[i] = okJob;
        // Another transaction held what this job needed (PostgreSQL broke a deadlock): run it
        // again once this group has committed and let go of its own locks.
        again[i] = outcome == JobOutcome::kRetry && ++batch[i].attempts < kMaxAttempts;
      }
      auto c = writer_->commit();
      committed = c.ok();
      if (!committed) {
        spdlog::error("group commit failed: {}", c.error().message);
        (void)writer_->rollback();
      }
    } else {
      spdlog::error("cannot begin transaction: {}", st.error().message);
    }
    CommitListener listener;
    {
      std::lock_guard lk(mu_);
      stats_.batches++;
      stats_.jobs += batch.size();
      listener = listener_;
    }
    if (committed && listener && !events.empty()) listener(events);
    std::vector<WriteJob> retries;
    for (size_t i = 0; i < batch.size(); ++i) {
      if (committed && again[i]) {
        retries.push_back(std::move(batch[i]));
      } else {
        batch[i].done(committed && succeeded[i]);
      }
    }
    if (!retries.empty()) {
      std::lock_guard lk(mu_);
      stats_.retries += retries.size();
      spdlog::info("{} write job(s) lost a transaction conflict: run again", retries.size());
      // First in the next group, in their order: they were acknowledged before anything queued
      // since.
      for (auto it = retries.rbegin(); it != retries.rend(); ++it) {
        writes_.push_front(std::move(*it));
      }
    }
  }
}

void Database::busLoop() {
  std::unique_ptr<sql::PgListener> listener;
  std::unique_ptr<sql::Connection> conn;
  auto stopping = [this] {
    std::lock_guard lk(mu_);
    return stopping_;
  };
  while (!stopping()) {
    if (!listener || !conn) {
      auto l = sql::openPgListener(opts_.url, kEventChannel);
      auto c = sql::open(opts_.url);
      if (!l.ok() || !c.ok()) {
        spdlog::warn("event bus: cannot connect, retrying");
        std::unique_lock lk(mu_);
        writeCv_.wait_for(lk, std::chrono::seconds(1), [this] { return stopping_; });
        continue;
      }
      listener = std::move(l).value();
      conn = std::move(c).value();
    }
    auto payloads = listener->wait(250);
    if (!payloads.ok()) {
      spdlog::warn("event bus: {}", payloads.error().message);
      listener.reset();
      conn.reset();
      continue;
    }
    std::vector<Event> events;
    for (const auto& p : *payloads) {
      // "<node> <seq> <topic>"; our own commits were published by the writer already.
      size_t a = p.find(' ');
      size_t b = a == std::string::npos ? a : p.find(' ', a + 1);
      if (b == std::string::npos || p.compare(0, a, nodeId_) == 0) continue;
      int64_t seq = std::strtoll(p.c_str() + a + 1, nullptr, 10);
      std::string topic = p.substr(b + 1);
      auto found = eventlog::find(*conn, topic, seq);
      if (!found.ok() || !*found) continue;  // pruned already: clients will resync
      events.push_back(std::move(**found));
    }
    if (events.empty()) continue;
    CommitListener l;
    {
      std::lock_guard lk(mu_);
      stats_.remoteEvents += events.size();
      l = listener_;
    }
    if (l) l(events);
  }
}

Result<int> Database::migrate(std::vector<Migration> migrations) {
  std::sort(migrations.begin(), migrations.end(),
            [](const Migration& a, const Migration& b) { return a.version < b.version; });
  for (size_t i = 1; i < migrations.size(); ++i) {
    if (migrations[i].version == migrations[i - 1].version) {
      return makeError(Errc::kInternal,
                       "duplicate migration number " + std::to_string(migrations[i].version));
    }
  }
  auto applied =
      readSync<std::vector<int64_t>>([](sql::Connection& c) -> Result<std::vector<int64_t>> {
        SP_ASSIGN(auto rows, c.query("SELECT version FROM schema_migrations"));
        std::vector<int64_t> v;
        for (auto& r : rows) v.push_back(r.i64(0));
        return v;
      });
  if (!applied.ok()) return applied.error();
  int count = 0;
  for (const auto& m : migrations) {
    if (std::find(applied->begin(), applied->end(), m.version) != applied->end()) continue;
    const std::string& text =
        (dialect_ == sql::Dialect::kPostgres && !m.postgresSql.empty()) ? m.postgresSql : m.sql;
    auto r = writeSync<int>([&](Tx& tx) -> Result<int> {
      SP_TRY(tx.conn().execScript(text));
      SP_TRY(
          tx.conn().exec("INSERT INTO schema_migrations(version, name, "
                         "applied_at) VALUES(?,?,?)",
                         {int64_t{m.version}, m.name, tx.nowMs()}));
      return 1;
    });
    if (!r.ok()) {
      return makeError(Errc::kInternal, "migration " + std::to_string(m.version) + " (" + m.name +
                                            ") failed: " + r.error().message);
    }
    spdlog::info("applied migration {} {}", m.version, m.name);
    ++count;
  }
  return count;
}

}  // namespace sportello
