import Backend
import HMP

extension InteractiveConsole {
    /// `(hmp) `, or `(hmp dst) ` when the console drives QEMUs: the VM lines go to.
    static func promptText(_ session: HMPSession) -> String {
        guard let group = session.backend as? any VMSelecting else { return "(hmp) " }
        return "(hmp \(group.currentVM)) "
    }
}
