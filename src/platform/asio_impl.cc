// Boost.Asio and Boost.Beast compiled once for the whole program (separate
// compilation): every other translation unit only sees declarations, which
// keeps builds fast on 2 cores.
#include <boost/asio/impl/src.hpp>
#include <boost/beast/src.hpp>
