/// A value's fields against what the same socket's fields were in the previous sample of the
/// block: a bitmap of the fields that changed, then each changed field as a tag (0 unknown,
/// 1 number, 2 text) and its value; a number as the zigzag difference from the old number.
/// Against nothing (a keyframe, a new socket) every field is "changed".
enum FieldDelta {
    static func encode(_ new: [FieldValue], against old: [FieldValue]?, into w: inout RecordingByteWriter) {
        let n = new.count
        var bitmap = [UInt8](repeating: 0, count: (n + 7) / 8)
        var changed = 0
        for i in 0..<n where old.map({ $0[i] != new[i] }) ?? true {
            bitmap[i >> 3] |= 1 << UInt8(i & 7)
            changed += 1
        }
        w.bytes.append(contentsOf: bitmap)
        guard changed > 0 else { return }
        for i in 0..<n where bitmap[i >> 3] & (1 << UInt8(i & 7)) != 0 {
            switch new[i] {
            case .none:
                w.bytes.append(0)
            case .int(let v):
                w.bytes.append(1)
                let before = old?[i].int ?? 0
                w.signed(Int64(bitPattern: v &- before))
            case .text(let s):
                w.bytes.append(2)
                w.text(s)
            }
        }
    }

    static func decode(count n: Int, against old: [FieldValue]?, from r: inout RecordingByteReader) throws(RecordingDamage) -> [FieldValue] {
        let bitmap = Array(try r.take((n + 7) / 8))
        var values = old ?? [FieldValue](repeating: .none, count: n)
        guard values.count == n else { throw RecordingDamage("a socket's field count changed within a block") }
        for i in 0..<n where bitmap[i >> 3] & (1 << UInt8(i & 7)) != 0 {
            switch try r.byte() {
            case 0: values[i] = .none
            case 1:
                let before = old?[i].int ?? 0
                values[i] = .int(before &+ UInt64(bitPattern: try r.signed()))
            case 2: values[i] = .text(try r.text())
            case let t: throw RecordingDamage("field tag \(t)")
            }
        }
        // Bits past the last field are padding; set ones mean the bytes are not what was written.
        if n % 8 != 0, let last = bitmap.last, last >> UInt8(n % 8) != 0 { throw RecordingDamage("a field bitmap names fields that do not exist") }
        return values
    }
}
