// Runs CPU-heavy work (password hashing) on a separate pool so I/O threads stay
// responsive, and resumes the awaiting coroutine on its own executor.
#pragma once

#include <boost/asio/async_result.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <functional>
#include <memory>

namespace sportello {

template <class T>
boost::asio::awaitable<T> offload(boost::asio::thread_pool& pool, std::function<T()> fn) {
  return boost::asio::async_initiate<decltype(boost::asio::use_awaitable), void(T)>(
      [&pool](auto handler, std::function<T()> work) {
        auto h = std::make_shared<decltype(handler)>(std::move(handler));
        boost::asio::post(pool, [work = std::move(work), h]() mutable {
          T v = work();
          work = nullptr;
          auto ex = boost::asio::get_associated_executor(*h);
          boost::asio::post(ex, [h, v = std::move(v)]() mutable { std::move (*h)(std::move(v)); });
        });
      },
      boost::asio::use_awaitable, std::move(fn));
}

}  // namespace sportello
