import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// Ceilings, not expectations: the machines running these tests are small and shared, and the first
// render of a page compiles Material UI, material-table and rjsf.
configure({ asyncUtilTimeout: 5000 });
jest.setTimeout(30000);
