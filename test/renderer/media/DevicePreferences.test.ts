import { DevicePreferences } from '../../../renderer/media/DevicePreferences';
import { MapStorage } from './MapStorage';

test('a choice is kept per account and read back by a new instance (as after a reload)', () => {
  const storage = new MapStorage();
  new DevicePreferences(storage).save('alice', { camera: 'cam-2', microphone: 'mic-2' });
  new DevicePreferences(storage).save('bob', { speaker: 'out-1' });
  const reloaded = new DevicePreferences(storage);
  expect(reloaded.load('alice')).toEqual({ camera: 'cam-2', microphone: 'mic-2' });
  expect(reloaded.load('bob')).toEqual({ speaker: 'out-1' });
  expect(reloaded.load('carol')).toEqual({});
});

test('a damaged or foreign entry reads as the defaults', () => {
  const storage = new MapStorage();
  storage.setItem('parley.devices.alice', '{not json');
  storage.setItem('parley.devices.bob', JSON.stringify({ camera: 5, __proto__x: 1 }));
  const preferences = new DevicePreferences(storage);
  expect(preferences.load('alice')).toEqual({});
  expect(preferences.load('bob')).toEqual({});
});

test('saving a bad choice throws and keeps the stored one', () => {
  const storage = new MapStorage();
  const preferences = new DevicePreferences(storage);
  preferences.save('alice', { camera: 'cam-1' });
  expect(() => preferences.save('alice', { camera: '' })).toThrow();
  expect(preferences.load('alice')).toEqual({ camera: 'cam-1' });
});
