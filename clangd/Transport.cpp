#include "clangd/Transport.h"

#include "analysis/Compat.h"
#include "llvm/ADT/StringExtras.h"
#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace forkhazard::clangd {

bool MessageReader::readLine(std::string &Line) {
  Line.clear();
  char Buffer[256];
  while (true) {
    errno = 0;
    if (!std::fgets(Buffer, sizeof Buffer, In)) {
      if (errno == EINTR && !std::feof(In)) {
        std::clearerr(In);
        continue;
      }
      return false;
    }
    // A NUL byte ends what fgets gives back; clangd ignores the rest of such a line too.
    size_t Read = std::strlen(Buffer);
    Line.append(Buffer, Read);
    if (Read > 0 && Buffer[Read - 1] == '\n')
      return true;
  }
}

bool MessageReader::read(std::string &Body) {
  while (!std::feof(In) && !std::ferror(In)) {
    unsigned long long Length = 0;
    std::string Line;
    bool HeaderEnded = false;
    while (readLine(Line)) {
      llvm::StringRef Header = Line;
      if (compat::startsWith(Header, "#")) // clangd allows comments in headers
        continue;
      if (Header.consume_front("Content-Length: ")) {
        Length = 0;
        llvm::getAsUnsignedInteger(Header.trim(), 0, Length);
        continue;
      }
      if (Header.trim().empty()) {
        HeaderEnded = true;
        break;
      }
      // Another header (Content-Type): ignored.
    }
    if (!HeaderEnded)
      return false;
    if (Length == 0 || Length > (1ull << 30))
      continue; // clangd refuses these and reads on
    Body.resize(Length);
    size_t Done = 0;
    while (Done < Length) {
      size_t Read = std::fread(&Body[Done], 1, Length - Done, In);
      if (Read == 0) {
        if (std::ferror(In) && errno == EINTR) {
          std::clearerr(In);
          continue;
        }
        return false; // the input ended inside a message
      }
      Done += Read;
    }
    return true;
  }
  return false;
}

bool MessageReader::readObject(llvm::json::Object &Message) {
  std::string Body;
  while (read(Body)) {
    llvm::Expected<llvm::json::Value> Parsed = llvm::json::parse(Body);
    if (!Parsed) {
      llvm::consumeError(Parsed.takeError());
      continue;
    }
    if (llvm::json::Object *Object = Parsed->getAsObject()) {
      Message = std::move(*Object);
      return true;
    }
  }
  return false;
}

static bool writeAll(int Fd, llvm::StringRef Data) {
  while (!Data.empty()) {
    ssize_t Written = ::write(Fd, Data.data(), Data.size());
    if (Written < 0) {
      if (errno == EINTR)
        continue;
      return false;
    }
    Data = Data.drop_front(Written);
  }
  return true;
}

bool writeMessage(int Fd, llvm::StringRef Body) {
  return writeAll(Fd, "Content-Length: " + std::to_string(Body.size()) + "\r\n\r\n") &&
         writeAll(Fd, Body);
}

MessageWriter::MessageWriter(int Fd) : Fd(Fd), Thread([this] { run(); }) {}

MessageWriter::~MessageWriter() {
  close();
  Thread.join();
}

void MessageWriter::send(std::string Body) {
  std::lock_guard<std::mutex> Guard(Lock);
  if (Closing)
    return;
  Queue.push_back(std::move(Body));
  Ready.notify_one();
}

void MessageWriter::close() {
  std::lock_guard<std::mutex> Guard(Lock);
  Closing = true;
  Ready.notify_one();
}

void MessageWriter::drain() {
  std::unique_lock<std::mutex> Guard(Lock);
  Drained.wait(Guard, [&] { return Queue.empty() && !Writing; });
}

void MessageWriter::run() {
  std::unique_lock<std::mutex> Guard(Lock);
  while (true) {
    Ready.wait(Guard, [&] { return Closing || !Queue.empty(); });
    if (Queue.empty()) {
      Drained.notify_all();
      return; // closing, and everything is written
    }
    std::string Body = std::move(Queue.front());
    Queue.pop_front();
    Writing = true;
    Guard.unlock();
    bool Written = Broken || writeMessage(Fd, Body);
    Guard.lock();
    Writing = false;
    Broken |= !Written;
    if (Queue.empty())
      Drained.notify_all();
  }
}

} // namespace forkhazard::clangd
