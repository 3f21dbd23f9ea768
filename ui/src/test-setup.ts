// Shared vitest setup: DOM matchers and cleanup of mounted components between tests.
import '@testing-library/jest-dom/vitest';
