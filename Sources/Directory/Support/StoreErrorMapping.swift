import GitStore
import SCIM

/// Store failures as the SCIM errors a client sees: never a client's fault, so never 4xx.
enum StoreErrorMapping {
    static func scimError(_ error: any Error) -> SCIMError {
        if let scim = error as? SCIMError { return scim }
        guard let store = error as? GitStoreError else {
            return SCIMError.internalError("the store failed to write: \(error)")
        }
        if store.isBusy {
            return SCIMError(status: 503, detail: "the store is busy (another writer holds its lock); retry shortly")
        }
        if store.isStorageFull {
            return SCIMError(status: 507, detail: "the store cannot write: its disk is full or read-only; nothing was changed")
        }
        if store.isPermissionDenied {
            // An operator's mistake (a folder made read-only), not the client's, and fixable
            // without the client changing anything: a retryable 503.
            return SCIMError(status: 503, detail: "the store cannot write its files (permission denied); nothing was changed, retry later")
        }
        if case .concurrentUpdate = store {
            return SCIMError(status: 503, detail: "the store changed under this write; nothing was changed, retry")
        }
        return SCIMError.internalError("the store failed to write; nothing was changed")
    }
}
