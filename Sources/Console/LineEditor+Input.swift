import CEditLine

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The custom read function and the TAB handler, called by libedit.
extension LineEditor {
    /// libedit's read-a-character hook (EL_GETCFN). Returns 1 with a
    /// character, 0 at end of input, -1 on error or interrupt.
    ///
    /// Instead of blocking in read(2) it polls, so that `idle` runs while the
    /// user is not typing. The bytes are decoded from UTF-8 here, as
    /// libedit's own reader does with mbrtowc.
    func readCharacter(into character: UnsafeMutablePointer<wchar_t>) -> Int32 {
        var pending: [UInt8] = []
        var expected = 0
        while true {
            if cel_sigint_pending() != 0 {
                // Ctrl-C: fail the read with EINTR; el_gets then returns NULL
                // and readLine() reports .interrupted (it takes the flag).
                character.pointee = 0
                errno = EINTR
                return -1
            }
            if cel_take_sigwinch() != 0 { cel_el_resize(editLine) }
            if cel_take_sigcont() != 0 && isInteractive {
                // Back from Ctrl-Z and `fg`: raw mode again, and the redraw
                // that libedit's own reader (which we replaced) would do.
                // Cooked first: after a stop through our SIGTSTP handler
                // libedit still believes the terminal is raw and would skip it.
                _ = cel_prep_term(editLine, 0)
                _ = cel_prep_term(editLine, 1)
                _ = cel_refresh(editLine)
            }

            let ready: Int32
            if let eventLoop {
                errno = 0
                ready = eventLoop.runOnce(timeoutMilliseconds: idleInterval, alsoWaitingFor: inputFD) ? 1 : (errno == EINTR ? -1 : 0)
            } else {
                var descriptor = pollfd(fd: inputFD, events: Int16(POLLIN), revents: 0)
                ready = poll(&descriptor, 1, idleInterval)
            }
            if ready < 0 {
                if errno == EINTR { continue }  // SIGWINCH, SIGCONT, ... (SIGINT: see above)
                character.pointee = 0
                return -1
            }
            if let endsWhen, endsWhen() {
                character.pointee = 0
                return 0
            }
            if ready == 0 {
                if pending.isEmpty, let idle, let text = idle() { printAbove(text) }
                continue
            }

            var byte: UInt8 = 0
            let count = read(inputFD, &byte, 1)
            if count < 0 {
                if errno == EINTR || errno == EAGAIN { continue }
                character.pointee = 0
                return -1
            }
            if count == 0 {
                character.pointee = 0
                return 0
            }

            if !pending.isEmpty && byte & 0xC0 != 0x80 {
                pending = []  // broken sequence: drop it, start again with this byte
            }
            if pending.isEmpty {
                if byte < 0x80 {
                    character.pointee = wchar_t(byte)
                    return 1
                }
                guard let length = Self.utf8Length(lead: byte) else { continue }  // junk byte
                expected = length
                pending = [byte]
                continue
            }
            pending.append(byte)
            guard pending.count == expected else { continue }
            var decoder = UTF8()
            var iterator = pending.makeIterator()
            pending = []
            if case .scalarValue(let scalar) = decoder.decode(&iterator) {
                character.pointee = wchar_t(bitPattern: scalar.value)
                return 1
            }
            // Overlong or surrogate encodings are dropped like other junk.
        }
    }

    static func utf8Length(lead: UInt8) -> Int? {
        switch lead {
        case 0xC2...0xDF: 2
        case 0xE0...0xEF: 3
        case 0xF0...0xF4: 4
        default: nil
        }
    }

    /// The TAB key.
    func complete() -> UInt8 {
        guard let completion else { return UInt8(CC_REFRESH_BEEP) }
        guard let info = cel_el_wline(editLine)?.pointee, var p = info.buffer, let cursor = info.cursor
        else { return UInt8(CC_ERROR) }
        var before = ""
        while p < cursor {
            if let scalar = Unicode.Scalar(UInt32(bitPattern: p.pointee)) {
                before.unicodeScalars.append(scalar)
            }
            p += 1
        }

        let result = completion(before)
        let start = result.replacementRange.lowerBound
        guard start >= before.startIndex, start <= before.endIndex else { return UInt8(CC_REFRESH_BEEP) }
        let word = String(before[start...])

        switch CompletionPlanner.plan(word: word, candidates: result.candidates, hint: result.hint) {
        case .beep:
            return UInt8(CC_REFRESH_BEEP)
        case .replace(let text):
            if text.unicodeScalars.starts(with: word.unicodeScalars) {
                let rest = String(text.unicodeScalars.dropFirst(word.unicodeScalars.count))
                if !rest.isEmpty { _ = cel_el_insertstr(editLine, rest) }
            } else {
                cel_el_deletestr(editLine, Int32(word.unicodeScalars.count))
                _ = cel_el_insertstr(editLine, text)
            }
            return UInt8(CC_REFRESH)
        case .list(let items):
            showBelowInput(CompletionPlanner.columns(items, terminalWidth: terminalColumns()))
            return UInt8(CC_NORM)
        case .hint(let text):
            showBelowInput(text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init))
            return UInt8(CC_NORM)
        }
    }

    /// Prints lines under the input (which may wrap over several rows), then
    /// has libedit draw the prompt and the line again below them.
    func showBelowInput(_ lines: [String]) {
        if usesEscapes {
            let rows = inputRows()
            let down = rows.last - rows.cursor
            write("\r" + (down > 0 ? "\u{1B}[\(down)B" : ""))
        }
        write("\n" + lines.joined(separator: "\n") + "\n")
        _ = cel_refresh(editLine)
    }
}
