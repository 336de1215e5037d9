import GitStore

/// After a history command committed while a server owns the working tree: the server
/// brings the tree to the new HEAD within a second; say so only if it has not.
enum WorkingTreeWait {
    static func report(_ store: GitStore) {
        if !store.waitForWorkingTree(timeout: .seconds(10)) {
            print("The running server has not updated its working tree yet; it does before answering its next request.")
        }
    }
}
