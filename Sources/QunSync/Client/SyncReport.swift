import QunCore
import QunStore

/// What one two-way sync with a peer did.
public struct SyncReport: Sendable, Equatable {
    /// The registered peer name, or the URL for an unregistered one.
    public var peer: String
    public var url: String
    /// The peer's replica id and operator, from its info.
    public var peerReplica: ReplicaID?
    public var peerOperator: String = ""
    /// Changes the peer newly applied from this laptop.
    public var sent = 0
    /// Changes this laptop newly applied from the peer (including held changes released
    /// because their time came, or because of `acceptSkew`).
    public var received = 0
    /// Changes the peer sent that this laptop already had.
    public var duplicates = 0
    /// Changes from the peer held back here: stamped too far ahead of this laptop's clock.
    public var held = 0
    /// How far ahead of this clock the latest held change was, and whose it is.
    public var heldAheadMilliseconds: Int64 = 0
    public var heldReplica: ReplicaID?
    /// Changes from this laptop the peer held back (this clock is ahead of the peer's).
    public var heldByPeer = 0
    public var heldByPeerAheadMilliseconds: Int64 = 0
    /// Changes still held back on this laptop after the sync, from any sync or bundle.
    public var stillHeld = 0
    /// Pull/push exchanges; more than one when a writer was active during the sync.
    public var rounds = 0
    /// Requests that carried changes each way.
    public var pagesReceived = 0
    public var pagesSent = 0
    public var durationMilliseconds: Int64 = 0
    /// Things the operator should know (a newer qun on the peer, an unfinished sync).
    public var notes: [String] = []

    public init(peer: String, url: String) {
        self.peer = peer
        self.url = url
    }

    /// Nothing moved either way.
    public var isNoOp: Bool { sent == 0 && received == 0 && held == 0 && heldByPeer == 0 }

    /// What the roster made of the changes received: refused or left out, by reason.
    public var refused: [String: Int] = [:]
    public var voided: [String: Int] = [:]

    /// The roster step: every roster change is exchanged each time, so only what was new
    /// on either side counts; repeats are not duplicates.
    mutating func add(roster apply: ApplyReport, sentApplied: Int) {
        let repeats = duplicates
        add(apply)
        duplicates = repeats
        sent += sentApplied
    }

    mutating func add(_ apply: ApplyReport) {
        refused.merge(apply.authorship.refused, uniquingKeysWith: +)
        voided.merge(apply.authorship.voided, uniquingKeysWith: +)
        received += apply.applied + apply.released
        duplicates += apply.duplicates
        held += apply.held
        for (replica, ahead) in apply.heldAhead where ahead > heldAheadMilliseconds {
            heldAheadMilliseconds = ahead
            heldReplica = replica
        }
    }
}

/// Where a sync is, for a progress line.
public struct SyncProgress: Sendable, Equatable {
    public enum Phase: String, Sendable {
        case receiving, sending
    }

    public var peer: String
    public var phase: Phase
    /// Changes moved so far in this phase.
    public var done: Int
    /// Changes expected in this phase (an estimate: a writer may add more meanwhile).
    public var total: Int
}
