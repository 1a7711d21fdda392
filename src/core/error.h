// Fatal errors (the call fails) and the result type that carries them. No exceptions cross the core.
#pragma once
#include <string>
#include <utility>

namespace canopy {

// A fatal error: a stable code (see messages.cpp) and a message that says what happened and what to do.
struct Error {
  std::string code;
  std::string message;  // English, from the catalogue (the CLI prints it)
  std::string args{};   // the message's arguments, packed (messages.h), for the page to translate
  explicit operator bool() const { return !code.empty(); }
};

template <class T>
class Result {
 public:
  Result(T value) : value_(std::move(value)) {}      // NOLINT(google-explicit-constructor)
  Result(Error error) : error_(std::move(error)) {}  // NOLINT(google-explicit-constructor)
  bool ok() const { return !error_; }
  const Error& error() const { return error_; }
  T& value() & { return value_; }
  const T& value() const& { return value_; }
  T&& value() && { return std::move(value_); }

 private:
  T value_{};
  Error error_{};
};

}  // namespace canopy
