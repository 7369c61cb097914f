/// Where a replay is in its recording and how it moves: the header shows it, the replay keys
/// change it, the loop advances it by the clock (docs/recording.md, "Replay").
public struct Playback: Sendable, Equatable {
    /// Wall-clock times of the first and the last sample.
    public let start: Double
    public let end: Double
    /// The recorded time being shown: the time of the last sample applied, moving on between
    /// samples as the clock runs.
    public var position: Double
    /// Recorded seconds per real second.
    public var speed: Double = 1
    public var paused = false

    public static let speeds: [Double] = [0.25, 0.5, 1, 2, 4, 8, 16, 32, 64]
    /// How far `[` and `]` jump.
    public static let seekStep = 10.0

    public init(start: Double, end: Double) {
        self.start = start
        self.end = max(start, end)
        position = start
    }

    public var atEnd: Bool { position >= end }

    mutating func changeSpeed(by step: Int) {
        let i = Self.speeds.firstIndex { $0 >= speed } ?? Self.speeds.count - 1
        speed = Self.speeds[max(0, min(Self.speeds.count - 1, i + step))]
    }

    /// "×2", "×0.25".
    public var speedText: String {
        "\u{00d7}" + (speed == speed.rounded() ? String(Int(speed)) : String(speed))
    }

    /// "0:42 / 5:00": where in the recording, from its first sample.
    public var progressText: String {
        Self.duration(position - start) + " / " + Self.duration(end - start)
    }

    static func duration(_ seconds: Double) -> String {
        let s = Int(max(0, seconds).rounded(.down))
        let tail = String(format2: s % 60)
        return s >= 3600 ? "\(s / 3600):" + String(format2: s / 60 % 60) + ":" + tail : "\(s / 60):" + tail
    }
}

/// Where a seek goes.
public enum ReplaySeek: Equatable, Sendable {
    /// Recorded seconds forward (or back, negative).
    case by(Double)
    case start, end
    /// Pause and show the next sample.
    case step
}

/// The recording the dashboard is writing (the `R` key), for the footer.
public struct RecordingStatus: Sendable, Equatable {
    public var path: String
    public var samples: Int
    public var bytes: Int

    public init(path: String, samples: Int = 0, bytes: Int = 0) {
        self.path = path
        self.samples = samples
        self.bytes = bytes
    }
}

extension String {
    /// Two digits, zero-padded.
    init(format2 n: Int) { self = n < 10 ? "0\(n)" : "\(n)" }
}
