import Directory

/// `Directory`'s `RequestContext` (who is asking, for the commit) under a name that does
/// not clash with Hummingbird's `RequestContext` protocol in files importing both.
typealias ServiceRequestContext = RequestContext
