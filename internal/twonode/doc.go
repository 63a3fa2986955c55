// Package twonode holds a test only: two `opensom serve` processes on one
// PostgreSQL database behave as one server. It builds the binary, starts
// both nodes on a new database, and checks with real HTTP calls that a
// token of one node works on the other, that a refresh token reused across
// nodes is caught, that a lockout made on one holds on the other, and that
// killing a node while it answers loses no write it confirmed while the
// other keeps serving. It needs OPENSOM_TEST_POSTGRES (see sqltest).
package twonode
