import Clocks

/// The tests' clock: `ManualClock` (time moves when told, or jumps to a deadline waited
/// for with `autoAdvance`).
package typealias TestClock = ManualClock
