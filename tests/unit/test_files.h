// Shared by the unit tests: a test input file's whole bytes.
#pragma once
#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

namespace canopy::test {

// The bytes of `path` as they are on disk (binary); fails the test when it cannot be opened.
inline std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  REQUIRE(f.good());
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

}  // namespace canopy::test
